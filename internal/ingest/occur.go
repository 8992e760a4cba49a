package ingest

// occurrences counts how often each row fingerprint (before the occurrence
// number is mixed in) has been seen in one file, exactly and for the whole
// file: two identical rows (two lookups of one resident in the same
// second) are two events however far apart they are, and the n-th of them
// must get the same fingerprint in every export that contains it, or an
// overlapping export would store it twice or drop it as a duplicate.
//
// Almost every row is seen once, so the set of seen fingerprints is an
// open-addressing table of bare uint64 (8 bytes a slot, at most 3/4
// full), and only the rare repeats have a count in a map: a file of ten
// million rows costs about 100–130 MB at its end, a month's file of a
// million about 16 MB.
type occurrences struct {
	slots  []uint64 // 0 = empty; the fingerprint 0 is kept in zero
	n      int
	zero   bool
	repeat map[uint64]int // fingerprint → times seen, for those seen twice or more
}

// newOccurrences makes the set for about rows rows (an estimate from the
// file's size; it grows past it), so that a large file is not rehashed
// again and again.
func newOccurrences(rows int64) *occurrences {
	n := 1 << 12
	for int64(n)*3/4 < rows && n < 1<<24 {
		n <<= 1
	}
	return &occurrences{slots: make([]uint64, n), repeat: map[uint64]int{}}
}

// next records one more row with fingerprint h and returns how many rows
// with it came before (0 for the first).
func (o *occurrences) next(h uint64) int {
	if n, ok := o.repeat[h]; ok {
		o.repeat[h] = n + 1
		return n
	}
	if h == 0 {
		if o.zero {
			o.repeat[0] = 2
			return 1
		}
		o.zero = true
		return 0
	}
	if o.insert(h) {
		return 0
	}
	o.repeat[h] = 2
	return 1
}

// insert adds h to the set; false when it was there.
func (o *occurrences) insert(h uint64) bool {
	mask := uint64(len(o.slots) - 1)
	for i := mix(h) & mask; ; i = (i + 1) & mask {
		switch o.slots[i] {
		case 0:
			o.slots[i] = h
			o.n++
			if o.n*4 > len(o.slots)*3 {
				o.grow()
			}
			return true
		case h:
			return false
		}
	}
}

func (o *occurrences) grow() {
	old := o.slots
	o.slots = make([]uint64, 2*len(old))
	mask := uint64(len(o.slots) - 1)
	for _, h := range old {
		if h == 0 {
			continue
		}
		i := mix(h) & mask
		for o.slots[i] != 0 {
			i = (i + 1) & mask
		}
		o.slots[i] = h
	}
}

// mix spreads the bits of an FNV hash (whose low bits are weak) over the
// table's index.
func mix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return h
}
