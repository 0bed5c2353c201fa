package compliance

// Content rule identifiers of the default table. Use them with WithWaived.
const (
	RuleSex            = "content.sex"
	RuleHate           = "content.hate"
	RuleAlcohol        = "content.alcohol"
	RuleFirearms       = "content.firearms"
	RuleTobacco        = "content.tobacco"
	RuleCannabis       = "content.cannabis"
	RulePrescription   = "content.prescription"
	RuleFinance        = "content.finance"
	RuleFraud          = "content.fraud"
	RuleGambling       = "content.gambling"
	RuleMalware        = "content.malware"
	RuleFilterEvasion  = "content.filter-evasion"
	RuleShortener      = "content.shortener"
	RuleBrand          = "content.brand"
	RuleOptOutLanguage = "content.opt-out-language"
)

// defaultContentRules is the table of prohibited categories on US/CA SMS
// (TW-FB, TW-30469, TW-30873, YETI). Words match whole words, case
// insensitively; a multi-word entry matches those words in sequence with
// any separators between them. The lists are deliberately short and
// unambiguous; hosts add their own with WithContentRule.
var defaultContentRules = []ContentRule{
	{ID: RuleSex, Category: "sex", Severity: SeverityBlock,
		Words: []string{"sex", "sexy", "porn", "porno", "xxx", "nudes", "escort", "escorts", "onlyfans", "hookup", "camgirl"}},
	{ID: RuleHate, Category: "hate", Severity: SeverityBlock,
		Words: []string{"white power", "heil hitler", "sieg heil", "race war", "ethnic cleansing"}},
	{ID: RuleAlcohol, Category: "alcohol", Severity: SeverityBlock,
		Words: []string{"beer", "beers", "wine", "wines", "vodka", "whiskey", "whisky", "tequila", "liquor", "rum", "gin", "booze", "happy hour"}},
	{ID: RuleFirearms, Category: "firearms", Severity: SeverityBlock,
		Words: []string{"gun", "guns", "firearm", "firearms", "rifle", "rifles", "handgun", "handguns", "pistol", "pistols", "ammo", "ammunition", "ar 15"}},
	{ID: RuleTobacco, Category: "tobacco", Severity: SeverityBlock,
		Words: []string{"tobacco", "cigarette", "cigarettes", "cigar", "cigars", "vape", "vapes", "vaping", "e cig", "nicotine", "juul"}},
	{ID: RuleCannabis, Category: "cannabis", Severity: SeverityBlock,
		Words: []string{"cannabis", "marijuana", "cbd", "thc", "weed", "dispensary", "kratom", "delta 8", "edibles", "paraphernalia", "fireworks"}},
	{ID: RulePrescription, Category: "prescription drugs", Severity: SeverityBlock,
		Words: []string{"no prescription", "without prescription", "without a prescription", "no rx", "rx not required", "prescription not required"}},
	{ID: RuleFinance, Category: "high-risk finance", Severity: SeverityBlock,
		Words: []string{"payday loan", "payday loans", "cash advance", "debt relief", "debt consolidation", "credit repair", "fix your credit", "student loan forgiveness", "crypto", "bitcoin", "cryptocurrency"}},
	{ID: RuleFraud, Category: "fraud and get-rich-quick", Severity: SeverityBlock,
		Words: []string{"get rich", "work from home", "make money fast", "guaranteed income", "risk free investment", "double your money", "pyramid", "mlm", "you have won", "you won", "claim your prize", "verify your account", "account suspended"}},
	{ID: RuleGambling, Category: "gambling", Severity: SeverityBlock,
		Words: []string{"casino", "casinos", "sportsbook", "betting", "poker", "jackpot", "free bet"}},
	{ID: RuleMalware, Category: "malware", Severity: SeverityBlock, Match: matchMalwareLinks},
	{ID: RuleFilterEvasion, Category: "filter evasion", Severity: SeverityBlock, Match: matchFilterEvasion},
	{ID: RuleShortener, Category: "public URL shortener", Severity: SeverityBlock, Domains: publicShorteners},
	{ID: RuleBrand, Category: "required disclosure", Severity: SeverityBlock, Match: matchBrand},
	{ID: RuleOptOutLanguage, Category: "required disclosure", Severity: SeverityBlock, Match: matchOptOutLanguage},
}

// publicShorteners are shared URL shorteners that carriers reject
// (TW-FB, TW-30963, TCR6013).
var publicShorteners = []string{
	"bit.ly", "tinyurl.com", "goo.gl", "t.co", "ow.ly", "is.gd",
	"buff.ly", "rebrand.ly", "cutt.ly", "shorturl.at", "rb.gy", "t.ly", "tiny.cc", "bl.ink", "s.id", "v.gd",
}

// malwareExtensions are file types a text should never link to.
var malwareExtensions = []string{".apk", ".exe", ".scr", ".bat", ".msi", ".jar", ".vbs", ".cmd", ".dmg", ".ipa"}

// invisibleRunes are characters used to split words past spam filters.
var invisibleRunes = []rune{'\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u180e'}

// The opt-out disclosure is an instruction, not a word: "Reply STOP",
// "Text STOP to 12345", "STOP to end". optOutVerbs tell the reader to send
// something, optOutKeywords are what they may send, and optOutEffects
// say what sending it does ("STOP to end"). A keyword alone ("never stop
// saving", "unsubscribe anytime") is not an instruction.
var (
	optOutVerbs    = []string{"reply", "text", "txt", "send", "respond", "msg", "responde", "responda", "envia", "envie", "envian", "textea", "manda", "mande"}
	optOutKeywords = []string{"stop", "end", "quit", "cancel", "unsubscribe", "unsub", "optout", "opt out", "stopall", "revoke", "parar", "baja", "alto", "cancelar"}
	optOutEffects  = []string{"end", "stop", "quit", "cancel", "unsubscribe", "unsub", "opt out", "optout", "cancelar", "parar", "salir", "terminar"}
	optOutJoined   = []string{"stop2end", "stop2quit", "stop2stop", "stop2optout", "stop2cancel"}
)
