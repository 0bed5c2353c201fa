package compliance

// keywordEntry is one row of the keyword tables. Words are written in
// their normalised form: upper case, accents folded, apostrophes dropped,
// and for exact keywords without spaces ("OPT OUT" and "OPT-OUT" both
// normalise to "OPTOUT").
type keywordEntry struct {
	Reply  Reply
	Word   string
	Source string // short names from the facts file
}

// exactKeywords is the default exact-match table: the union of the FCC
// per-se revocation words, the CTIA/carrier defaults (Twilio, Telnyx,
// Plivo, Vonage, AWS) and common Spanish equivalents.
var exactKeywords = [...]keywordEntry{
	// FCC per-se revocation words (ABA, MAN).
	{ReplyOptOut, "STOP", "FCC"},
	{ReplyOptOut, "QUIT", "FCC"},
	{ReplyOptOut, "END", "FCC"},
	{ReplyOptOut, "REVOKE", "FCC"},
	{ReplyOptOut, "OPTOUT", "FCC"}, // OPT OUT, OPT-OUT, OPTOUT
	{ReplyOptOut, "CANCEL", "FCC"},
	{ReplyOptOut, "UNSUBSCRIBE", "FCC"},
	// Carrier and provider defaults (TW-AOO, TX-AOO, PL-FAQ, AWS-KW).
	{ReplyOptOut, "STOPALL", "TW-AOO"}, // STOPALL, STOP ALL
	{ReplyOptOut, "UNSUB", "PL-FAQ"},
	{ReplyOptOut, "REMOVE", "AWS-KW"},
	{ReplyOptOut, "ARRET", "AWS-KW"},
	{ReplyOptOut, "TD", "AWS-KW"},
	// Spanish (CP: the FCC rule covers other languages).
	{ReplyOptOut, "PARAR", "CP"},
	{ReplyOptOut, "ALTO", "CP"},
	{ReplyOptOut, "BAJA", "CP"},
	{ReplyOptOut, "CANCELAR", "CP"},
	{ReplyOptOut, "DETENER", "CP"},
	{ReplyOptOut, "NOMAS", "CP"}, // NO MAS, NO MÁS
	// Opt-in (TW-23002, TX-AOO, PL-FAQ, VN-KW). YES is opt-in only when
	// configured with WithYesOptIn.
	{ReplyOptIn, "START", "TW-23002"},
	{ReplyOptIn, "UNSTOP", "TW-23002"},
	{ReplyOptIn, "RESUME", "PL-FAQ"},
	{ReplyOptIn, "JOIN", "VN-KW"},
	// Help.
	{ReplyHelp, "HELP", "TW-23002"},
	{ReplyHelp, "INFO", "TW-23002"},
	{ReplyHelp, "AYUDA", "CP"},
}

// protectedKeywords cannot be removed from a keyword set: the FCC per-se
// revocation words, and HELP/START which carriers do not let senders drop
// (TW-OLD).
var protectedKeywords = [...]string{
	"STOP", "QUIT", "END", "REVOKE", "OPTOUT", "CANCEL", "UNSUBSCRIBE", "START", "HELP",
}

// inferredPhrases are word sequences that show opt-out intent anywhere in a
// sentence; the FCC judges such wording by the totality of circumstances
// (MAN), and Herald errs toward honouring them.
var inferredPhrases = [...]keywordEntry{
	{ReplyOptOut, "STOP TEXTING", "MAN"},
	{ReplyOptOut, "STOP TEXT", "MAN"},
	{ReplyOptOut, "STOP TEXTS", "MAN"},
	{ReplyOptOut, "STOP MESSAGING", "MAN"},
	{ReplyOptOut, "STOP MESSAGES", "MAN"},
	{ReplyOptOut, "STOP SENDING", "MAN"},
	{ReplyOptOut, "STOP CONTACTING", "MAN"},
	{ReplyOptOut, "STOP CALLING", "MAN"},
	{ReplyOptOut, "STOP ALL", "MAN"},
	{ReplyOptOut, "DONT TEXT", "MAN"},
	{ReplyOptOut, "DO NOT TEXT", "MAN"},
	{ReplyOptOut, "DONT MESSAGE", "MAN"},
	{ReplyOptOut, "DO NOT MESSAGE", "MAN"},
	{ReplyOptOut, "DONT CONTACT", "MAN"},
	{ReplyOptOut, "DO NOT CONTACT", "MAN"},
	{ReplyOptOut, "NO MORE TEXTS", "MAN"},
	{ReplyOptOut, "NO MORE MESSAGES", "MAN"},
	{ReplyOptOut, "REMOVE ME", "MAN"},
	{ReplyOptOut, "TAKE ME OFF", "MAN"},
	{ReplyOptOut, "OPT ME OUT", "MAN"},
	{ReplyOptOut, "OPT OUT", "MAN"},
	{ReplyOptOut, "UNSUBSCRIBE", "MAN"},
	{ReplyOptOut, "UNSUBSCRIBE ME", "MAN"},
	{ReplyOptOut, "LEAVE ME ALONE", "MAN"},
	{ReplyOptOut, "WRONG NUMBER", "MAN"},
	{ReplyOptOut, "WRONG PERSON", "MAN"},
	{ReplyOptOut, "NUMERO EQUIVOCADO", "CP"},
	{ReplyOptOut, "PAREN DE", "CP"},
	{ReplyOptOut, "NO MAS", "CP"},
	{ReplyOptOut, "NO ME ENVIES", "CP"},
	{ReplyOptOut, "NO ENVIAR", "CP"},
	{ReplyOptOut, "NO MANDEN", "CP"},
	{ReplyOptOut, "DEJEN DE", "CP"},
	{ReplyOptOut, "DEJA DE", "CP"},
	{ReplyOptOut, "DAR DE BAJA", "CP"},
	{ReplyOptOut, "DARME DE BAJA", "CP"},
}
