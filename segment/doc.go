// Package segment measures, splits and encodes SMS text exactly as carriers
// bill it.
//
// It follows 3GPP TS 23.038 (the GSM 7-bit default alphabet, its extension
// table and the national language shift tables) and TS 23.040 (the
// concatenation user data header). A text is sent in GSM-7 when every
// character is in the default alphabet or its extension table (an extension
// character such as € or { costs two septets), otherwise in UCS-2, counted in
// UTF-16 code units (an emoji outside the Basic Multilingual Plane costs two).
//
// One SMS carries 160 septets or 70 UCS-2 units. A longer text is sent in
// parts that each carry a 6-octet concatenation header, leaving 153 septets or
// 67 units per part (152 and 66 with the 16-bit reference header of
// [With16BitReference]). Splitting never separates an escape from its
// character or a surrogate pair and, by default, never cuts a grapheme cluster
// (a ZWJ emoji family, a flag, a skin tone, a letter with a combining mark),
// which is how Twilio bills; [WithCodePointBoundaries] keeps only code points
// whole, the minimum the specification requires.
//
// [Analyze] and [Split] are the entry points; [Analyze] does not allocate.
// [Validate] refuses text that cannot be sent at all (invalid UTF-8, lone
// surrogates, control characters) and [Analysis.CheckParts] a text that
// needs more than [MaxParts] parts; [Check] does both.
// [UCS2Chars] lists every character that forces UCS-2, [Normalize] replaces
// look-alike characters with GSM-7 twins and reports every change, and
// [Encode] and [Decode] convert to and from the wire form (packed septets or
// UCS-2 big-endian behind the user data header) an SMPP or modem adapter
// needs.
package segment
