package segment_test

import (
	"fmt"
	"strings"

	"github.com/heraldsms/herald/segment"
)

func ExampleAnalyze() {
	a := segment.Analyze("Your code is 4711. Reply STOP to opt out.")
	fmt.Println(a.Encoding, a.Segments, a.Units, a.Remaining)

	// One emoji switches the whole message to UCS-2.
	a = segment.Analyze("Your parcel is on its way 📦")
	fmt.Println(a.Encoding, a.Segments, a.Units, a.PerSegment)
	fmt.Printf("%q at byte %d\n", a.FirstUCS2, a.FirstUCS2Offset)

	// 152 characters, a caret (two septets) and 152 more: three parts, not two.
	a = segment.Analyze(strings.Repeat("a", 152) + "^" + strings.Repeat("b", 152))
	fmt.Println(a.Segments, a.PerSegment)
	// Output:
	// GSM-7 1 41 119
	// UCS-2 1 28 70
	// '📦' at byte 26
	// 3 153
}

func ExampleSplit() {
	text := strings.Repeat("ж", 65) + "🇫🇷" + strings.Repeat("ж", 64)
	fmt.Println(len(segment.Split(text)), "parts keeping the flag whole")
	fmt.Println(len(segment.Split(text, segment.WithCodePointBoundaries())), "parts cutting between code points")
	// Output:
	// 3 parts keeping the flag whole
	// 2 parts cutting between code points
}

func ExampleNormalize() {
	text, reps := segment.Normalize("“Great” – see you…", segment.WithSmartEncoding())
	fmt.Println(text)
	for _, r := range reps {
		fmt.Printf("%d: %q -> %q (%+d)\n", r.Offset, r.From, r.To, r.Delta)
	}
	// Output:
	// "Great" - see you...
	// 0: "“" -> "\"" (+0)
	// 8: "”" -> "\"" (+0)
	// 12: "–" -> "-" (+0)
	// 23: "…" -> "..." (+2)
}

func ExampleWithDestination() {
	text := "Siparişiniz yola çıktı"
	fmt.Println(segment.Analyze(text).Encoding)
	a := segment.Analyze(text, segment.WithDestination("TR"))
	fmt.Println(a.Encoding, a.SingleShift, a.Units, a.PerSegment)
	// Output:
	// UCS-2
	// GSM-7 Turkish 26 155
}

func ExampleEncode() {
	pdus, err := segment.Encode(strings.Repeat("A", 161), 0x42)
	if err != nil {
		panic(err)
	}
	for _, p := range pdus {
		fmt.Printf("UDL %d, header % X\n", p.UDL, p.UserData[:6])
	}
	text, err := segment.Decode(pdus)
	fmt.Println(len(text), err)

	_, err = segment.Encode("bad \x1b escape", 1)
	fmt.Println(err)
	// Output:
	// UDL 160, header 05 00 03 42 02 01
	// UDL 15, header 05 00 03 42 02 02
	// 161 <nil>
	// segment: character cannot be sent U+001B at byte 4
}

func ExampleUCS2Chars() {
	for _, c := range segment.UCS2Chars("Ça coûte 5€, merci ❤") {
		fmt.Printf("%q at byte %d\n", c.Rune, c.Offset)
	}
	// Output:
	// 'û' at byte 6
	// '❤' at byte 23
}
