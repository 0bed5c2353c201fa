package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider"
)

// TestLineInfoCache: a lookup's answer is kept per number, shared by every
// Store on the database and kept across a reopen; a later answer replaces
// it.
func TestLineInfoCache(t *testing.T) {
	ctx := context.Background()
	st, path := openSQLite(t)
	if _, ok, err := st.LoadLineInfo(ctx, "+14155552671"); ok || err != nil {
		t.Fatalf("empty cache: %v %v", ok, err)
	}
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	v := provider.CachedLineInfo{Info: provider.LineInfo{Number: "+14155552671", Valid: true, Type: provider.LineLandline, Carrier: "Acme"}, At: at}
	if err := st.StoreLineInfo(ctx, "+14155552671", v); err != nil {
		t.Fatal(err)
	}
	other := openSQLiteFile(t, path)
	got, ok, err := other.LoadLineInfo(ctx, "+14155552671")
	if err != nil || !ok || got.Info != v.Info || !got.At.Equal(at) {
		t.Fatalf("another store: %+v %v %v", got, ok, err)
	}
	v.Info.Type, v.At = provider.LineMobile, at.Add(time.Hour)
	if err := other.StoreLineInfo(ctx, "+14155552671", v); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := st.LoadLineInfo(ctx, "+14155552671"); got.Info.Type != provider.LineMobile {
		t.Fatalf("replaced answer: %+v", got)
	}
}

// TestForgetInbound: an inbound ID whose message failed to process is
// forgotten so the provider's retry is processed; a pinned one is kept.
func TestForgetInbound(t *testing.T) {
	ctx := context.Background()
	st, _ := openSQLite(t)
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	if first, err := st.RecordInbound(ctx, "twilio", "SM1", at); !first || err != nil {
		t.Fatal(first, err)
	}
	if err := st.ForgetInbound(ctx, "twilio", "SM1"); err != nil {
		t.Fatal(err)
	}
	if first, err := st.RecordInbound(ctx, "twilio", "SM1", at); !first || err != nil {
		t.Fatalf("after ForgetInbound: first=%v %v", first, err)
	}
	if err := st.PinInbound(ctx, "twilio", "SM1"); err != nil {
		t.Fatal(err)
	}
	if err := st.ForgetInbound(ctx, "twilio", "SM1"); err != nil {
		t.Fatal(err)
	}
	if first, _ := st.RecordInbound(ctx, "twilio", "SM1", at); first {
		t.Fatal("a pinned ID was forgotten")
	}
}

// TestLastInbound: the time a person last texted one of the host's
// numbers, per account, for the reply window of strict consent.
func TestLastInbound(t *testing.T) {
	ctx := context.Background()
	st, _ := openSQLite(t)
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	if got, err := st.LastInbound(ctx, "acme", "+14155552671", "+14155550001"); err != nil || !got.IsZero() {
		t.Fatalf("no reply yet: %v %v", got, err)
	}
	for _, d := range []time.Duration{0, time.Hour, 30 * time.Minute} {
		if _, err := st.AddReply(ctx, notify.ReplyRecord{Account: "acme", From: "+14155552671", To: "+14155550001", Body: "hi", Received: at.Add(d)}); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := st.LastInbound(ctx, "acme", "+14155552671", "+14155550001"); err != nil || !got.Equal(at.Add(time.Hour)) {
		t.Fatalf("last reply: %v %v", got, err)
	}
	if got, _ := st.LastInbound(ctx, "globex", "+14155552671", "+14155550001"); !got.IsZero() {
		t.Fatalf("another account: %v", got)
	}
}
