package rules

import "math"

// Chance repeats (REPEATED_SUBJECT, and UNMATCHED_LOOKUP's repeats).
//
// The question: a clerk looked up n_1, n_2, …, n_D distinct residents on
// their D days with lookups, in a town whose logs show N residents. If on
// every day they had drawn their n_d residents at random, how many
// residents would they have met on k or more of those days?
//
// For one resident, day d is a hit with probability p_d = n_d / N,
// independently of the other days, so the number of days X on which that
// resident comes up follows the Poisson-binomial distribution of
// (p_1 … p_D). The expected number of residents met on k or more days is
//
//	E_k = N · P(X ≥ k).
//
// P(X ≥ k) is computed exactly by dynamic programming over the days with
// the states "j hits so far" for j < k and one absorbing state "k or more"
// (no subtraction from 1, so tiny tails stay accurate):
//
//	q_0 = 1;  for each day d:  q'_j = q_j (1 − p_d) + q_{j−1} p_d  (j < k),
//	                           q'_k = q_k + q_{k−1} p_d.
//
// Residents met by chance are (nearly) independent rare events, so the
// number of them met on k or more days is Poisson with mean E_k, and the
// probability of meeting m or more by chance is
//
//	p = P(Poisson(E_k) ≥ m) = 1 − e^(−E_k) · Σ_{j<m} E_k^j / j!
//
// m residents (with no business) that a clerk looked up together on the
// same k days are beyond chance when p ≤ RepeatChance (0.05 by default):
// meeting m residents on the same days is no likelier than meeting m on
// k days or more, so p bounds it from above. For one resident p ≈ E_k; a
// group that comes back together is much less likely: the 兵庫 clerk's
// four residents on the same three days, E_3 ≈ 0.04, give p ≈ 1e-7.
// Residents repeating on different days are judged one by one: two chance
// repeats do not make each other significant.
// Checks a successor can redo by hand:
//   - a tax clerk with about 10 residents a day on 19 days in a town of
//     12,480: λ = Σp ≈ 0.015, P(X ≥ 3) ≈ λ³/6 ≈ 6e-7, E_3 ≈ 0.007: three
//     days on one resident is not chance;
//   - a 窓口 clerk with 150 a day on 19 days: p = 0.012, P(X ≥ 3) ≈
//     C(19,3)·p³ ≈ 1.9e-3, E_3 ≈ 23: some residents come back to the
//     counter three times in a month by chance, so three days is quiet;
//     five days: C(19,5)·p⁵ ≈ 3.5e-6, E_5 ≈ 0.04 — a five-day fixation
//     is flagged even for the busiest clerk.
//
// Uniform draws understate real repeats (families, regular visitors),
// which is why the threshold is strict and why business traces (受付,
// updates, issues) are checked first.
//
// N is the town's population as the logs let us estimate it. Counting
// the residents the logs show undercounts it (a month of one clerk's
// lookups shows a fifth of the town), so the residents never seen are
// estimated from those seen once (f1) and twice (f2) — counting one
// lookup-day per staff member — with Chao's estimator (Chao 1984;
// bias-corrected form):
//
//	N = S + f1·(f1 − 1) / (2·(f2 + 1))
//
// where S is every resident the logs and the 受付簿 name. For uniform
// draws it is nearly unbiased (150 a day for 19 days among 12,000: S ≈
// 2,540, f1 ≈ 2,250, f2 ≈ 270, N ≈ 12,000); real lookups repeat more
// than uniform ones, which lowers N and makes chance repeats likelier, the
// cautious direction. N is at least minPopulation: a log that shows
// fewer shows only part of the town.

// minPopulation is the smallest population the chance model assumes.
const minPopulation = 1000

// chanceRepeats returns E_k for daily counts n and population n.
func chanceRepeats(counts []int32, population, k int) float64 {
	if k <= 0 {
		return float64(population)
	}
	N := float64(max(population, 1))
	q := make([]float64, k+1)
	q[0] = 1
	for _, c := range counts {
		p := min(float64(c)/N, 1)
		q[k] += q[k-1] * p
		for j := k - 1; j > 0; j-- {
			q[j] = q[j]*(1-p) + q[j-1]*p
		}
		q[0] *= 1 - p
	}
	return N * q[k]
}

// population returns N of the chance model (computed once, after the
// stream).
func (e *engine) population() int {
	if e.popN > 0 {
		return e.popN
	}
	var f1, f2 float64
	for _, n := range e.residentSeen {
		switch n {
		case 1:
			f1++
		case 2:
			f2++
		}
	}
	e.popN = max(len(e.residentIDs)+int(f1*max(f1-1, 0)/(2*(f2+1))), minPopulation)
	return e.popN
}

// poissonTail returns P(X ≥ m) for X Poisson with mean mean.
func poissonTail(mean float64, m int) float64 {
	if m <= 0 {
		return 1
	}
	term, sum := math.Exp(-mean), 0.0
	for j := 0; j < m; j++ {
		sum += term
		term *= mean / float64(j+1)
	}
	return max(0, 1-sum)
}
