package notify

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/heraldsms/herald/provider/fake"
)

// Paused lists an account's paused notifications with why they paused,
// and forgets one once it is resumed.
func TestPausedLists(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		p := fake.New()
		defer p.Close()
		s := startService(t, p, WithContactPoint(ContactPoint{Name: "support", Numbers: []string{"+14155550100"}}))
		var ids []string
		for _, why := range []string{"held for legal review", "wrong list"} {
			rep, err := s.Send(ctx, Notification{From: "support", To: []string{num(1)}, Body: "Spring sale", SendAfter: time.Now().Add(24 * time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Pause(ctx, rep.NotificationID, why); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, rep.NotificationID)
			time.Sleep(time.Second)
		}
		if _, err := s.Send(ctx, Notification{From: "support", To: []string{num(2)}, Body: "Still pending", SendAfter: time.Now().Add(24 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		reasons := func() map[string]string {
			t.Helper()
			recs, err := s.Paused(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]string{}
			for i, r := range recs {
				if i > 0 && r.CreatedAt.Before(recs[i-1].CreatedAt) {
					t.Errorf("Paused is not oldest first: %v", recs)
				}
				out[r.ID] = r.PauseReason
			}
			return out
		}
		if diff := cmp.Diff(map[string]string{ids[0]: "held for legal review", ids[1]: "wrong list"}, reasons()); diff != "" {
			t.Errorf("Paused (-want +got):\n%s", diff)
		}
		if other, err := s.Paused(ctx, "globex"); err != nil || len(other) != 0 {
			t.Errorf("another account's paused notifications: %v, %v", other, err)
		}
		if _, err := s.Resume(ctx, ids[0]); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[string]string{ids[1]: "wrong list"}, reasons()); diff != "" {
			t.Errorf("Paused after a resume (-want +got):\n%s", diff)
		}
	})
}
