package compliance

import "testing"

func TestInterpret(t *testing.T) {
	tests := []struct {
		text      string
		want      Reply
		ambiguous bool
	}{
		// Per-se words anywhere in a short reply, about the messages.
		{"Thanks for the update. Stop.", ReplyOptOut, false},
		{"I said stop", ReplyOptOut, false},
		{"How do I stop these texts?", ReplyOptOut, false},
		{"cancel these texts", ReplyOptOut, false},
		{"Please end the texts", ReplyOptOut, false},
		{"I'd like to opt out of text messages", ReplyOptOut, false},
		// Sentences without a per-se word, English and Spanish.
		{"I no longer wish to receive texts", ReplyOptOut, false},
		{"I withdraw my consent", ReplyOptOut, false},
		{"Take my number off your list", ReplyOptOut, false},
		{"No quiero recibir más mensajes", ReplyOptOut, false},
		{"No me envíen más mensajes", ReplyOptOut, false},
		// Compatibility forms, marks, invisible characters.
		{"ＳＴＯＰ", ReplyOptOut, false},
		{"𝐒𝐓𝐎𝐏", ReplyOptOut, false},
		{"Ⓢⓣⓞⓟ", ReplyOptOut, false},
		{"s\u0301to\u0308p", ReplyOptOut, false},
		{"sto\u200bp", ReplyOptOut, false},
		{"S.T.O.P", ReplyOptOut, false},
		{"ｕｎｓｕｂｓｃｒｉｂｅ", ReplyOptOut, false},
		// Ambiguous: an opt-out, flagged for the one clarifying text.
		{"I want to cancel", ReplyOptOut, true},
		{"stop the madness", ReplyOptOut, true},
		{"Not interested", ReplyOptOut, true},
		{"I never signed up for this", ReplyOptOut, true},
		{"Make it stop", ReplyOptOut, true},
		// Not about the messages.
		{"Can you stop by at 5?", ReplyOther, false},
		{"Don't stop the deliveries", ReplyOther, false},
		{"don't stop sending me reminders, they help", ReplyOther, false},
		{"Is the bus stop near your store?", ReplyOther, false},
		{"End of the month works", ReplyOther, false},
		{"Cancel my appointment", ReplyOther, false},
		{"Stop my subscription box for a month", ReplyOther, false},
		{"No more than 2 people", ReplyOther, false},
		{"El precio es muy alto", ReplyOther, false},
		{"I don't want the blue one", ReplyOther, false},
		{"Please remove the onions from my order", ReplyOther, false},
	}
	for _, tt := range tests {
		got := Classify(tt.text)
		if got.Reply != tt.want || got.Ambiguous != tt.ambiguous {
			t.Errorf("Classify(%q) = %v ambiguous=%v (keyword %q), want %v ambiguous=%v", tt.text, got.Reply, got.Ambiguous, got.Keyword, tt.want, tt.ambiguous)
		}
		if r := ClassifyReply(tt.text); r != tt.want {
			t.Errorf("ClassifyReply(%q) = %v, want %v", tt.text, r, tt.want)
		}
	}
	if DefaultClarifyingText == "" {
		t.Error("DefaultClarifyingText is empty")
	}
}

func TestInterpretWithoutInference(t *testing.T) {
	k := NewKeywords(WithoutInference())
	if c := k.Interpret("I want to cancel"); c.Reply != ReplyOther || c.Ambiguous {
		t.Errorf("WithoutInference: %+v", c)
	}
	if c := k.Interpret("ＳＴＯＰ"); c.Reply != ReplyOptOut || !c.Exact {
		t.Errorf("WithoutInference: full-width STOP = %+v", c)
	}
}
