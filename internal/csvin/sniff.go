package csvin

// sniffCandidates are the delimiters detection chooses among, in order of
// preference on a tie.
var sniffCandidates = [...]byte{',', '\t', ';'}

// sniffMaxLines bounds how many lines detection looks at.
const sniffMaxLines = 100

// sniffComma chooses the delimiter of b, the decoded start of a file
// (complete when it is the whole file). For every candidate it counts the
// occurrences outside quotes on each non-blank line; the winner is the one
// whose most frequent non-zero count occurs on the most lines (the most
// consistent), then the one with the larger count, then the first in
// order. Title rows and similar lines without any delimiter do not count
// against a candidate. With no candidate at all it returns the default:
// comma, or tab when preferTab (UTF-16 files are Excel's 「Unicode
// テキスト」, which is tab-separated).
func sniffComma(b []byte, complete, preferTab bool) byte {
	var (
		counts    [len(sniffCandidates)][]int
		cur       [len(sniffCandidates)]int
		inQuote   bool
		atStart   = true // at the start of a field, where a quote opens one
		hasText   bool
		lines     int
		endOfLine = func() {
			if hasText {
				for k := range cur {
					counts[k] = append(counts[k], cur[k])
				}
				lines++
			}
			cur = [len(sniffCandidates)]int{}
			atStart, hasText = true, false
		}
	)
	i := 0
	for ; i < len(b) && lines < sniffMaxLines; i++ {
		c := b[i]
		if inQuote {
			if c == '"' {
				if i+1 < len(b) && b[i+1] == '"' {
					i++
					continue
				}
				inQuote = false
			}
			continue
		}
		switch c {
		case '\n', '\r':
			if c == '\r' && i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
			endOfLine()
			continue
		case '"':
			inQuote = atStart
		}
		hasText = true
		atStart = false
		for k, d := range sniffCandidates {
			if c == d {
				cur[k]++
				atStart = true
			}
		}
	}
	if complete && i == len(b) && !inQuote {
		endOfLine() // the last line has no newline
	}

	order := []int{0, 1, 2}
	if preferTab {
		order = []int{1, 0, 2}
	}
	best, bestLines, bestCount := -1, 0, 0
	for _, k := range order {
		freq := map[int]int{}
		for _, n := range counts[k] {
			if n > 0 {
				freq[n]++
			}
		}
		mode, modeLines := 0, 0
		for n, f := range freq {
			if f > modeLines || (f == modeLines && n > mode) {
				mode, modeLines = n, f
			}
		}
		if modeLines > bestLines || (modeLines == bestLines && modeLines > 0 && mode > bestCount) {
			best, bestLines, bestCount = k, modeLines, mode
		}
	}
	if best < 0 {
		return sniffCandidates[order[0]]
	}
	return sniffCandidates[best]
}
