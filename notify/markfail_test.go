package notify

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/heraldsms/herald/provider/fake"
)

// flakyMark fails MarkSending for each listed row the first time.
type flakyMark struct {
	*MemoryStore
	mu     sync.Mutex
	failed map[string]bool
	fail   func(id string) bool
}

func (f *flakyMark) MarkSending(ctx context.Context, id, owner string) error {
	f.mu.Lock()
	first := f.fail(id) && !f.failed[id]
	if first {
		f.failed[id] = true
	}
	f.mu.Unlock()
	if first {
		return errors.New("connection reset")
	}
	return f.MemoryStore.MarkSending(ctx, id, owner)
}

// TestAFailedMarkIsNotUnknown: when the store cannot mark a row Sending,
// the provider is not called and the row is not recorded unknown (nobody
// was texted): it goes back to the outbox and is sent on the next try.
func TestAFailedMarkIsNotUnknown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := &flakyMark{MemoryStore: NewMemoryStore(), failed: map[string]bool{}}
		st.fail = func(id string) bool { return len(id) > 2 && id[len(id)-2:] == "/3" }
		fp := fake.New()
		s := startService(t, fp, WithStore(st))
		var to []string
		for i := range 6 {
			to = append(to, usNumber(i))
		}
		rep, err := s.Send(context.Background(), Notification{From: "+14155550100", To: to, Body: "Hi"})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Counts[OutcomeSent] != 6 || rep.Counts[OutcomeUnknown] != 0 {
			t.Fatalf("counts %v, want all 6 sent", rep.Counts)
		}
		if !st.failed[rep.NotificationID+"/3"] {
			t.Fatal("the mark never failed")
		}
		if got := len(fp.SentTo(usNumber(3))); got != 1 {
			t.Fatalf("row 3 texted %d times", got)
		}
	})
}
