package notify_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/notify/notifytest"
)

func TestMemoryStore(t *testing.T) {
	notifytest.TestStore(t, func(t *testing.T) notify.Store { return notify.NewMemoryStore() })
}

func TestMemoryStoreEnqueueDefaultIDs(t *testing.T) {
	ctx := context.Background()
	s := notify.NewMemoryStore()
	if _, _, err := s.CreateNotification(ctx, notify.NotificationRecord{ID: "ntf_x"}); err != nil {
		t.Fatal(err)
	}
	rows := []notify.Message{
		{NotificationID: "ntf_x", Index: 0},
		{NotificationID: "ntf_x", Index: 9, ID: "given"},
		{NotificationID: "ntf_x", Index: 10},
		{NotificationID: "ntf_x", Index: 12345},
	}
	if err := s.Enqueue(ctx, rows); err != nil {
		t.Fatal(err)
	}
	ms, err := s.Messages(ctx, "ntf_x", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, m.ID)
	}
	if diff := cmp.Diff([]string{"ntf_x/0", "given", "ntf_x/10", "ntf_x/12345"}, got); diff != "" {
		t.Errorf("IDs (-want +got):\n%s", diff)
	}
	for _, id := range got {
		if _, err := s.Message(ctx, id); err != nil {
			t.Errorf("Message(%s): %v", id, err)
		}
	}
}
