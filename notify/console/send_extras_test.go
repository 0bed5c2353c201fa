package console

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/heraldsms/herald/notify"
	"github.com/heraldsms/herald/provider/fake"
)

var snippets = map[string]string{"sig": "Acme Parcel. Reply STOP to opt out"}

// newExtrasConsole is a console over a real Service with a snippet and a
// "deliveries" topic.
func newExtrasConsole(t *testing.T) (http.Handler, *notify.Service, *fake.Provider) {
	t.Helper()
	p := fake.New()
	t.Cleanup(func() { p.Close() })
	svc, err := notify.New(p, notify.WithClock(func() time.Time { return daytime }), notify.WithSnippets(snippets),
		notify.WithContactPoint(notify.ContactPoint{Name: "support", Numbers: []string{"+14155550100"}}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Shutdown(context.Background()) })
	if _, err := svc.CreateTopic(context.Background(), "", "deliveries", "Delivery updates"); err != nil {
		t.Fatal(err)
	}
	return New(svc, WithAuthenticator(testAuth), WithClock(func() time.Time { return daytime }), WithSnippets(snippets)), svc, p
}

// The live counter measures the text with its snippets expanded.
func TestCounterExpandsSnippets(t *testing.T) {
	h, _, _ := newExtrasConsole(t)
	s := newSession(t, h, "ann", "")
	wantContains(t, s.get("/send").Body.String(), `id="snippet"`, `value="sig"`)
	rec := s.post("/analyze", url.Values{"text": {"Your parcel is out. {{> sig}}"}})
	var c counter
	if err := json.NewDecoder(rec.Body).Decode(&c); err != nil {
		t.Fatal(err)
	}
	want := len("Your parcel is out. " + snippets["sig"])
	if c.Chars != want {
		t.Errorf("counter chars = %d, want %d (the expanded text)", c.Chars, want)
	}
}

// postMultipart posts form fields and one file field as multipart/form-data.
func (s *session) postMultipart(path string, form url.Values, file, name, data string) *httptest.ResponseRecorder {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if !form.Has(csrfField) {
		form.Set(csrfField, s.token)
	}
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if file != "" {
		fw, _ := mw.CreateFormFile(file, name)
		fw.Write([]byte(data))
	}
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return s.do(req)
}

var hiddenCSV = regexp.MustCompile(`name="csv_data" value="([^"]*)"`)

// A CSV of recipients with their own variables: previewed, then sent.
func TestSendCSVWithVariables(t *testing.T) {
	h, _, p := newExtrasConsole(t)
	s := newSession(t, h, "ann", "")
	form := url.Values{"from": {"support"}, "topic": {"deliveries"}, "body": {"Hi {{name}}, your parcel is out. {{> sig}}"}, "step": {"preview"}}
	rec := s.postMultipart("/send", form, "csv", "list.csv", "phone,name\n+14155552671,Ann\n(415) 555-2672,Bo\n")
	if rec.Code != http.StatusOK {
		t.Fatalf("preview: %d\n%s", rec.Code, rec.Body)
	}
	body := rec.Body.String()
	wantContains(t, body, `<dd id="pf-recipients">2</dd>`, `<dd id="pf-valid">2</dd>`)
	m := hiddenCSV.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the preflight does not carry the CSV to the confirmation:\n%s", body)
	}
	if len(p.Sent()) != 0 {
		t.Fatal("preview sent")
	}
	confirm := url.Values{"from": {"support"}, "topic": {"deliveries"}, "body": form["body"], "step": {"confirm"}, "csv_data": {html.UnescapeString(m[1])}}
	rec = s.post("/send", confirm)
	if rec.Code != http.StatusOK {
		t.Fatalf("confirm: %d\n%s", rec.Code, rec.Body)
	}
	var got []string
	for _, m := range p.Sent() {
		got = append(got, m.To+" "+m.Body)
	}
	slices.Sort(got)
	want := []string{"+14155552671 Hi Ann, your parcel is out. " + snippets["sig"], "+14155552672 Hi Bo, your parcel is out. " + snippets["sig"]}
	if !slices.Equal(got, want) {
		t.Errorf("sent %q, want %q", got, want)
	}
}

// A CSV without the columns the body needs is refused before the preflight.
func TestSendCSVMissingColumn(t *testing.T) {
	h, _, _ := newExtrasConsole(t)
	s := newSession(t, h, "ann", "")
	form := url.Values{"from": {"support"}, "topic": {"deliveries"}, "body": {"Hi {{name}}, order {{order}} is out"}, "step": {"preview"}}
	rec := s.postMultipart("/send", form, "csv", "list.csv", "phone,name\n+14155552671,Ann\n")
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("preview with a missing column: %d", rec.Code)
	}
	wantContains(t, rec.Body.String(), "order")
}

// A scheduled send waits for its time (SendAfter): nothing goes out now.
func TestSendScheduled(t *testing.T) {
	h, _, p := newExtrasConsole(t)
	s := newSession(t, h, "ann", "")
	later := daytime.Add(2 * time.Hour).Format(inputLayout)
	f := url.Values{"from": {"support"}, "topic": {"deliveries"}, "to": {"+14155552671"}, "body": {"Your parcel is out"}, "send_after": {later}, "step": {"preview"}}
	rec := s.post("/send", f)
	wantContains(t, rec.Body.String(), "Scheduled for", later)
	f.Set("step", "confirm")
	rec = s.post("/send", f)
	if rec.Code != http.StatusOK {
		t.Fatalf("confirm: %d\n%s", rec.Code, rec.Body)
	}
	wantContains(t, rec.Body.String(), "Scheduled for")
	if n := len(p.Sent()); n != 0 {
		t.Errorf("a send scheduled two hours ahead sent %d texts now", n)
	}
	// A time in the past is refused.
	f.Set("send_after", daytime.Add(-time.Hour).Format(inputLayout))
	f.Set("step", "preview")
	if rec := s.post("/send", f); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("a schedule in the past: %d, want 422", rec.Code)
	}
}
