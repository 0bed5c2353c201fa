package throttle

import (
	"fmt"
	"sync"
)

// Lane is a priority class for waiting sends. While sends of both lanes wait
// on the same key, a [Limiter] admits LaneTransactional first, except that
// LaneBulk keeps at least the limiter's bulk share (see [WithBulkShare]) of
// the segments admitted, so a stream of one-time codes never starves a blast
// completely. Priority is local to one Limiter; the store's limit is shared.
//
// The zero Lane is LaneBulk; pass LaneTransactional to Limiter.Wait for
// one-time codes, delivery updates and replies.
type Lane int

// Lanes, lowest priority first.
const (
	LaneBulk Lane = iota
	LaneTransactional
	numLanes
)

// String returns "bulk" or "transactional".
func (ln Lane) String() string {
	switch ln {
	case LaneBulk:
		return "bulk"
	case LaneTransactional:
		return "transactional"
	}
	return fmt.Sprintf("Lane(%d)", int(ln))
}

func (ln Lane) applyWait(c *waitConfig) {
	if ln < 0 || ln >= numLanes {
		ln = LaneBulk
	}
	c.lane = ln
}

// WaitOption configures one Limiter.Wait call. A [Lane] is a WaitOption.
type WaitOption interface{ applyWait(*waitConfig) }

type waitConfig struct {
	lane Lane
}

// DefaultBulkShare is the share of admitted segments the bulk lane keeps
// while transactional sends compete for the same key.
const DefaultBulkShare = 0.1

// lanes tracks, per key name, who waits in which lane and what each lane was
// admitted during the current contention, so waiters can yield in order.
type lanes struct {
	mu      sync.Mutex
	share   float64
	keys    map[string]*laneState
	changed chan struct{} // closed and replaced on every change
}

type laneState struct {
	waiting  [numLanes]int
	admitted [numLanes]int64 // segments, reset when nobody waits
}

// enter registers a waiter in lane for every key.
func (ls *lanes) enter(keys []Key, lane Lane) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.keys == nil {
		ls.keys = make(map[string]*laneState)
	}
	for _, k := range keys {
		st := ls.keys[k.Name]
		if st == nil {
			st = &laneState{}
			ls.keys[k.Name] = st
		}
		st.waiting[lane]++
	}
	ls.broadcastLocked()
}

// leave removes the waiter; admitted segments n count toward the lane's
// share when the send was admitted.
func (ls *lanes) leave(keys []Key, lane Lane, admitted int) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	for _, k := range keys {
		st := ls.keys[k.Name]
		if st == nil {
			continue
		}
		st.waiting[lane]--
		st.admitted[lane] += int64(admitted)
		if st.waiting[LaneBulk] == 0 && st.waiting[LaneTransactional] == 0 {
			delete(ls.keys, k.Name)
		}
	}
	ls.broadcastLocked()
}

// mayTry reports whether a waiter in lane may ask the store now; if not, it
// should wait for the returned channel to close.
func (ls *lanes) mayTry(keys []Key, lane Lane) (bool, <-chan struct{}) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.changed == nil {
		ls.changed = make(chan struct{})
	}
	for _, k := range keys {
		st := ls.keys[k.Name]
		if st == nil {
			continue
		}
		owed := ls.bulkOwed(st)
		switch lane {
		case LaneTransactional:
			if st.waiting[LaneBulk] > 0 && owed {
				return false, ls.changed
			}
		default:
			if st.waiting[LaneTransactional] > 0 && !owed {
				return false, ls.changed
			}
		}
	}
	return true, ls.changed
}

// bulkOwed reports whether bulk got less than its share of what this key
// admitted during the current contention.
func (ls *lanes) bulkOwed(st *laneState) bool {
	bulk, tx := float64(st.admitted[LaneBulk]), float64(st.admitted[LaneTransactional])
	return bulk < ls.share*(bulk+tx)
}

func (ls *lanes) broadcastLocked() {
	if ls.changed != nil {
		close(ls.changed)
	}
	ls.changed = make(chan struct{})
}
