package calendar

import (
	"sync"
	"sync/atomic"
)

// Years with a fixed slot in lazyYears: every year a log of a living system can
// carry, with room to spare. Other years are cached in a sync.Map.
const (
	slotFirstYear = 1900
	slotYears     = 400
)

// lazyYears memoises one value per year. Reads are lock-free: an atomic load
// from a fixed array for common years. The value of a year is built at most a
// few times (concurrent first readers may race to build it; one wins and the
// others adopt its value), so build must be pure.
type lazyYears[T any] struct {
	slots [slotYears]atomic.Pointer[T]
	far   sync.Map // int → *T for years outside the slots
}

// get returns the value for year, building it on first use.
func (c *lazyYears[T]) get(year int, build func(int) *T) *T {
	if i := uint(year - slotFirstYear); i < slotYears {
		if v := c.slots[i].Load(); v != nil {
			return v
		}
		v := build(year)
		if c.slots[i].CompareAndSwap(nil, v) {
			return v
		}
		return c.slots[i].Load()
	}
	if v, ok := c.far.Load(year); ok {
		return v.(*T)
	}
	v, _ := c.far.LoadOrStore(year, build(year))
	return v.(*T)
}
