package notify

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/heraldsms/herald/provider/fake"
)

// ghostStore is an outbox shared with another instance that claims a few
// rows and then stops without completing or releasing them (a crash).
type ghostStore struct {
	*MemoryStore
	once  sync.Once
	lease time.Duration
	taken []Message
}

func (g *ghostStore) Claim(ctx context.Context, id, owner string, limit int, now, until time.Time) ([]Message, error) {
	var err error
	g.once.Do(func() { g.taken, err = g.MemoryStore.Claim(ctx, id, "ghost", 3, now, now.Add(g.lease)) })
	if err != nil {
		return nil, err
	}
	return g.MemoryStore.Claim(ctx, id, owner, limit, now, until)
}

// TestRowsOfAStoppedInstanceAreTakenOver checks that rows another instance
// claimed and never finished are sent by this one once their lease ends,
// exactly once, and that Send does not return with them silently pending:
// it waits for the other instance or, when its lease ends, takes them over.
func TestRowsOfAStoppedInstanceAreTakenOver(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := &ghostStore{MemoryStore: NewMemoryStore(), lease: 30 * time.Second}
		fp := fake.New()
		s := newService(t, fp, WithStore(st), WithLease(time.Minute))
		to := make([]string, 10)
		for i := range to {
			to[i] = fmt.Sprintf("+1415555%04d", 100+i)
		}
		start := time.Now()
		rep, err := s.Send(context.Background(), Notification{From: "+14155550001", To: to, Body: "Your parcel is on its way"})
		if err != nil {
			t.Fatal(err)
		}
		if len(st.taken) != 3 {
			t.Fatalf("the ghost claimed %d rows, want 3", len(st.taken))
		}
		if rep.Counts[OutcomeSent] != 10 {
			t.Errorf("final counts %v, want 10 sent", rep.Counts)
		}
		if waited := time.Since(start); waited < 30*time.Second || waited > 32*time.Second {
			t.Errorf("the ghost's rows were taken over after %v, want just after its 30s lease", waited)
		}
		for _, m := range st.taken {
			if n := len(fp.SentTo(m.To)); n != 1 {
				t.Errorf("%s was sent %d times, want 1", m.To, n)
			}
		}
		if fp.Count() != 10 {
			t.Errorf("%d provider calls, want 10", fp.Count())
		}
	})
}
