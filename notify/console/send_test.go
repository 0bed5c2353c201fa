package console

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/heraldsms/herald/notify"
)

func TestCountSegments(t *testing.T) {
	cases := []struct {
		text                string
		wantEnc             string
		wantSegs, wantChars int
		wantUCS2            []string
	}{
		{"", "GSM-7", 0, 0, nil},
		{strings.Repeat("a", 160), "GSM-7", 1, 160, nil},
		{strings.Repeat("a", 161), "GSM-7", 2, 161, nil},
		{"Hi 😀", "UCS-2", 1, 4, []string{"😀"}},
		{strings.Repeat("a", 70) + "é✓", "UCS-2", 2, 72, []string{"✓"}},
	}
	for _, tc := range cases {
		c := count(tc.text)
		var ucs2 []string
		for _, u := range c.UCS2 {
			ucs2 = append(ucs2, u.Char)
		}
		if c.Encoding != tc.wantEnc || c.Segments != tc.wantSegs || c.Chars != tc.wantChars || !cmp.Equal(ucs2, tc.wantUCS2) {
			t.Errorf("count(%.20q...) = %s %d segs %d chars %q, want %s %d %d %q", tc.text, c.Encoding, c.Segments, c.Chars, ucs2, tc.wantEnc, tc.wantSegs, tc.wantChars, tc.wantUCS2)
		}
		if c.NeedsAck != (tc.wantSegs > 1) {
			t.Errorf("count(%.20q...).NeedsAck = %v", tc.text, c.NeedsAck)
		}
	}
}

func TestAnalyzeEndpoint(t *testing.T) {
	h, _ := newTestHandler(t)
	s := newSession(t, h, "ann", "")
	rec := s.post("/analyze", url.Values{"text": {"“Your parcel” arrives today"}})
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("POST /analyze: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	var c counter
	if err := json.Unmarshal(rec.Body.Bytes(), &c); err != nil {
		t.Fatal(err)
	}
	want := counter{
		Chars: 27, Units: 27, Encoding: "UCS-2", Segments: 1, PerSegment: 70, Remaining: 43,
		UCS2:  []ucs2Char{{"“", "U+201C", 0}, {"”", "U+201D", 14}},
		Smart: &smartText{Text: `"Your parcel" arrives today`, Encoding: "GSM-7", Segments: 1, Changes: 2},
	}
	if d := cmp.Diff(want, c); d != "" {
		t.Errorf("analyze (-want +got):\n%s", d)
	}
}

func TestSendFormListsOnlyPermittedContactPoints(t *testing.T) {
	h, _ := newTestHandler(t)
	body := newSession(t, h, "ann", "").get("/send").Body.String()
	wantContains(t, body, `value="support"`)
	wantNotContains(t, body, `value="billing"`)
	body = newSession(t, h, "bill", "billing").get("/send").Body.String()
	wantContains(t, body, `value="support"`, `value="billing"`)
}

func TestSendFormListsActiveTopicsOnly(t *testing.T) {
	h, _ := newTestHandler(t)
	body := newSession(t, h, "ann", "").get("/send").Body.String()
	wantContains(t, body, `<option value="deliveries"`, `<option value="default"`)
	wantNotContains(t, body, `<option value="old"`)
}

func TestSendFormWithoutAnyContactPoint(t *testing.T) {
	h, b := newTestHandler(t)
	b.cps = b.cps[1:] // only "billing" remains
	body := newSession(t, h, "ann", "").get("/send").Body.String()
	wantContains(t, body, `id="no-access"`)
	wantNotContains(t, body, `id="send-form"`)
}

func sendValues(step string) url.Values {
	return url.Values{"from": {"support"}, "topic": {"deliveries"}, "to": {"+14155552671, bad-1\n+14155552672"}, "body": {"Your parcel arrives today"}, "step": {step}}
}

func TestSendForbiddenContactPoint(t *testing.T) {
	h, b := newTestHandler(t)
	s := newSession(t, h, "ann", "")
	for _, step := range []string{"preview", "confirm"} {
		f := sendValues(step)
		f.Set("from", "billing")
		rec := s.post("/send", f)
		if rec.Code != http.StatusForbidden {
			t.Errorf("%s from a forbidden contact point: %d, want 403", step, rec.Code)
		}
		wantContains(t, rec.Body.String(), "You may not send from contact point &#34;billing&#34;")
	}
	if len(b.sends)+len(b.plans) != 0 {
		t.Errorf("forbidden contact point reached notify: %d sends, %d plans", len(b.sends), len(b.plans))
	}
}

func TestSendToDisabledTopicIsRefused(t *testing.T) {
	h, b := newTestHandler(t)
	s := newSession(t, h, "ann", "")
	for _, step := range []string{"preview", "confirm"} {
		f := sendValues(step)
		f.Set("topic", "old")
		rec := s.post("/send", f)
		if rec.Code != http.StatusConflict {
			t.Errorf("%s to a disabled topic: %d, want 409", step, rec.Code)
		}
		wantContains(t, rec.Body.String(), "Topic &#34;old&#34; is disabled")
		// Typing a disabled topic's name as a "new" topic does not get round it.
		f.Set("new_topic", "old")
		if rec := s.post("/send", f); rec.Code != http.StatusConflict {
			t.Errorf("%s to a disabled topic typed as new: %d, want 409", step, rec.Code)
		}
	}
	if len(b.sends) != 0 {
		t.Errorf("sent to a disabled topic")
	}
}

func TestSendMultipartNeedsAcknowledgement(t *testing.T) {
	h, b := newTestHandler(t)
	s := newSession(t, h, "ann", "")
	f := sendValues("confirm")
	f.Set("body", strings.Repeat("a", 161))
	rec := s.post("/send", f)
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("multipart without acknowledgement: %d, want 422", rec.Code)
	}
	wantContains(t, rec.Body.String(), "This message is 2 segments", "tick the acknowledgement")
	if len(b.sends) != 0 {
		t.Fatalf("sent a multipart body without acknowledgement")
	}
	f.Set("ack", "1")
	if rec := s.post("/send", f); rec.Code != http.StatusOK {
		t.Fatalf("multipart with acknowledgement: %d\n%s", rec.Code, rec.Body)
	}
	if len(b.sends) != 1 || !b.sends[0].AcknowledgeMultipart {
		t.Errorf("sends %+v, want one with AcknowledgeMultipart", b.sends)
	}
}

func TestSendPreviewThenConfirm(t *testing.T) {
	h, b := newTestHandler(t)
	s := newSession(t, h, "ann", "")
	rec := s.post("/send", sendValues("preview"))
	if rec.Code != http.StatusOK {
		t.Fatalf("preview: %d\n%s", rec.Code, rec.Body)
	}
	body := rec.Body.String()
	wantContains(t, body, `id="preflight"`, `<dd id="pf-recipients">3</dd>`, `<dd id="pf-invalid">1</dd>`, "bad-1", `name="step" value="confirm"`)
	if len(b.sends) != 0 || len(b.plans) != 1 {
		t.Fatalf("preview: %d sends, %d plans; want 0 and 1", len(b.sends), len(b.plans))
	}
	rec = s.post("/send", sendValues("confirm"))
	if rec.Code != http.StatusOK {
		t.Fatalf("confirm: %d\n%s", rec.Code, rec.Body)
	}
	body = rec.Body.String()
	wantContains(t, body, `id="problems"`, `<td class="number">bad-1</td>`, "invalid_number", "number &#34;bad-1&#34; is not a phone number")
	want := notify.Notification{
		From: "support", Topic: "deliveries", Body: "Your parcel arrives today",
		To:       []string{"+14155552671", "bad-1", "+14155552672"},
		Actor:    notify.Actor{ID: "ann"},
		Metadata: map[string]string{"source": "console", "actor": "ann"},
	}
	if len(b.sends) != 1 {
		t.Fatalf("%d sends, want 1", len(b.sends))
	}
	if d := cmp.Diff(want, b.sends[0]); d != "" {
		t.Errorf("notification sent (-want +got):\n%s", d)
	}
}

func TestSendEditKeepsTheValues(t *testing.T) {
	h, b := newTestHandler(t)
	s := newSession(t, h, "ann", "")
	rec := s.post("/send", sendValues("edit"))
	wantContains(t, rec.Body.String(), `id="send-form"`, "Your parcel arrives today", "bad-1")
	if len(b.sends)+len(b.plans) != 0 {
		t.Errorf("edit reached notify")
	}
}

func TestSendToANewTopicCreatesIt(t *testing.T) {
	h, b := newTestHandler(t)
	s := newSession(t, h, "ann", "")
	f := sendValues("preview")
	f.Set("new_topic", "returns")
	wantContains(t, s.post("/send", f).Body.String(), "returns", "(new, created on send)")
	if _, ok := b.topics["returns"]; ok {
		t.Fatalf("preview created the topic")
	}
	f.Set("step", "confirm")
	if rec := s.post("/send", f); rec.Code != http.StatusOK {
		t.Fatalf("confirm: %d\n%s", rec.Code, rec.Body)
	}
	if _, ok := b.topics["returns"]; !ok || b.sends[0].Topic != "returns" {
		t.Errorf("topic not created or not used: %v %q", b.topics["returns"], b.sends[0].Topic)
	}
}

func TestSendValidation(t *testing.T) {
	h, b := newTestHandler(t)
	s := newSession(t, h, "ann", "")
	for name, tc := range map[string]struct {
		field, value, want string
	}{
		"no recipients": {"to", " , \n", "Type at least one recipient."},
		"no body":       {"body", "  ", "Type a message."},
		"unknown topic": {"topic", "nope", "Topic &#34;nope&#34; does not exist."},
		"too many":      {"to", strings.Repeat("1,", maxRecipients+1), "At most 10000 recipients"},
	} {
		f := sendValues("confirm")
		f.Set(tc.field, tc.value)
		rec := s.post("/send", f)
		if rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", name, rec.Code)
		}
		wantContains(t, rec.Body.String(), tc.want)
	}
	if len(b.sends) != 0 {
		t.Errorf("invalid forms were sent")
	}
}

func TestRecipientsSplitOnCommasAndLines(t *testing.T) {
	got := sendForm{To: " +1 415 555 2671,+14155552672\r\n\n(415) 555-2673; 4155552674 ,"}.recipients()
	want := []string{"+1 415 555 2671", "+14155552672", "(415) 555-2673", "4155552674"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("recipients (-want +got):\n%s", d)
	}
}
