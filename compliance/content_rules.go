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
	RuleDrugs          = "content.drugs"
	RulePhishing       = "content.phishing"
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
// insensitively, also when disguised (letters split by punctuation or
// spaces, look-alike or full-width letters, $ for s); a multi-word entry
// matches those words in sequence with any separators between them.
// Except lists common phrases in which a word means something harmless
// ("weed control", "glue gun", "root beer"); "#" in an exception stands
// for a number.
//
// Restricted rules (SHAFT-C and the other age-gated or licensed
// categories) depend on context (ContentContext): a service text is
// warned about, not denied, unless Strict; marketing is denied unless the
// sender declares the category (Declared). The other rules deny in any
// context.
var defaultContentRules = []ContentRule{
	{ID: RuleSex, Category: "sex", Severity: SeverityBlock, Restricted: true,
		Words:  []string{"sex", "sexy", "porn", "porno", "xxx", "nude", "nudes", "naked", "escort", "escorts", "onlyfans", "fansly", "hookup", "hookups", "camgirl", "camgirls", "hot singles", "adult content", "sexting", "sugar daddy", "sugar baby", "nsfw", "milf"},
		Except: []string{"xxx #", "# xxx", "xxx xxx", "ending in xxx", "escort you", "police escort", "ford escort", "cable hookup", "water hookup", "electric hookup", "sewer hookup", "full hookup", "rv hookup", "hookup fee", "sex m", "sex f"}},
	{ID: RuleHate, Category: "hate", Severity: SeverityBlock,
		Words: []string{"white power", "heil hitler", "sieg heil", "race war", "ethnic cleansing"}},
	{ID: RuleAlcohol, Category: "alcohol", Severity: SeverityBlock, Restricted: true,
		Words: []string{"beer", "beers", "wine", "wines", "vodka", "whiskey", "whisky", "bourbon", "tequila", "liquor", "rum", "gin", "booze",
			"happy hour", "cocktail", "cocktails", "margarita", "margaritas", "mimosa", "mimosas", "champagne", "prosecco", "ipa", "brewery", "open bar", "wine club", "wine tasting"},
		Except: []string{"root beer", "ginger beer", "beer glasses", "beer battered", "beer batter", "beer bread", "beer cheese", "wine colored", "wine colour", "wine coloured", "wine rack", "rum raisin", "gin rummy", "wine street", "beer street"}},
	{ID: RuleFirearms, Category: "firearms", Severity: SeverityBlock, Restricted: true,
		Words: []string{"gun", "guns", "firearm", "firearms", "rifle", "rifles", "handgun", "handguns", "pistol", "pistols", "shotgun", "shotguns",
			"ammo", "ammunition", "ar 15", "ar15", "glock", "concealed carry", "9mm", "suppressor", "suppressors", "gun show"},
		Except: []string{"glue gun", "glue guns", "nail gun", "nail guns", "heat gun", "heat guns", "spray gun", "staple gun", "caulk gun", "top gun",
			"water gun", "water guns", "dart gun", "dart guns", "nerf gun", "nerf guns", "toy gun", "toy guns", "bubble gun", "bubble guns", "grease gun", "massage gun", "massage guns", "radar gun", "foam gun", "gun metal", "shotgun microphone", "pistol grip"}},
	{ID: RuleTobacco, Category: "tobacco", Severity: SeverityBlock, Restricted: true,
		Words: []string{"tobacco", "cigarette", "cigarettes", "cigar", "cigars", "cigarillo", "cigarillos", "vape", "vapes", "vaping", "vapor", "e cig",
			"e liquid", "e juice", "nicotine", "juul", "hookah", "smoke shop", "zyn"},
		Except: []string{"cigar box", "vapor barrier", "nicotine patch", "nicotine patches", "nicotine gum"}},
	{ID: RuleCannabis, Category: "cannabis", Severity: SeverityBlock, Restricted: true,
		Words: []string{"cannabis", "marijuana", "cbd", "thc", "thca", "weed", "dispensary", "dispensaries", "kratom", "delta 8", "delta 9", "edibles",
			"pre rolls", "pre roll", "kush", "indica", "sativa", "shrooms", "psilocybin", "paraphernalia", "fireworks"},
		Except: []string{"weed control", "weed killer", "weed and feed", "weed barrier", "weed whacker", "weed eater", "weed free", "weed prevention", "weed removal", "weed pulling", "weed spray", "weed fabric", "weed mat",
			"weed ca", "weed california", "dr weed", "mr weed", "ms weed", "mrs weed", "cbd office", "the cbd", "fireworks show", "fireworks display"}},
	{ID: RuleDrugs, Category: "prescription drugs", Severity: SeverityBlock, Restricted: true,
		Words: []string{"oxycodone", "xanax", "adderall", "percocet", "vicodin", "tramadol", "viagra", "cialis", "ozempic", "semaglutide", "tirzepatide", "wegovy"}},
	{ID: RulePrescription, Category: "prescription drugs", Severity: SeverityBlock,
		Words: []string{"no prescription", "without prescription", "without a prescription", "no rx", "rx not required", "prescription not required", "no prescription needed"}},
	{ID: RuleFinance, Category: "high-risk finance", Severity: SeverityBlock, Restricted: true,
		Words: []string{"payday loan", "payday loans", "cash advance", "title loan", "title loans", "no credit check", "bad credit ok", "guaranteed approval",
			"debt relief", "debt settlement", "debt consolidation", "credit repair", "fix your credit", "student loan forgiveness", "crypto", "bitcoin",
			"cryptocurrency", "forex", "debt collector"},
		Except: []string{"cash advance limit", "cash advance fee"}},
	{ID: RuleFraud, Category: "fraud and get-rich-quick", Severity: SeverityBlock,
		Words: []string{"get rich", "get rich quick", "make money fast", "guaranteed income", "risk free investment", "double your money", "pyramid scheme",
			"mlm", "you have won", "youve won", "claim your prize", "claim your reward", "earn from home", "work from home and earn"}},
	{ID: RuleGambling, Category: "gambling", Severity: SeverityBlock, Restricted: true,
		Words: []string{"casino", "casinos", "sportsbook", "sports betting", "betting", "poker", "jackpot", "free bet", "bet now", "free spins", "slot machine",
			"slot machines", "online slots", "blackjack", "roulette", "parlay", "odds boost", "lottery"},
		Except: []string{"poker face", "fire poker", "im betting", "betting you", "betting that", "casino road", "casino drive"}},
	{ID: RuleMalware, Category: "malware", Severity: SeverityBlock, builtin: matchMalware},
	{ID: RuleFilterEvasion, Category: "filter evasion", Severity: SeverityBlock, builtin: matchEvasion},
	{ID: RulePhishing, Category: "phishing", Severity: SeverityBlock, builtin: matchPhishingPrompt},
	{ID: RuleShortener, Category: "public URL shortener", Severity: SeverityBlock, Domains: publicShorteners},
	{ID: RuleBrand, Category: "required disclosure", Severity: SeverityBlock, builtin: matchBrandName},
	{ID: RuleOptOutLanguage, Category: "required disclosure", Severity: SeverityBlock, builtin: matchOptOut},
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
	optOutVerbs    = newPhraseSet("reply", "text", "txt", "send", "respond", "msg", "responde", "responda", "envia", "envie", "envian", "textea", "manda", "mande")
	optOutKeywords = newPhraseSet("stop", "end", "quit", "cancel", "unsubscribe", "unsub", "optout", "opt out", "stopall", "revoke", "parar", "baja", "alto", "cancelar")
	optOutEffects  = newPhraseSet("end", "stop", "quit", "cancel", "unsubscribe", "unsub", "opt out", "optout", "cancelar", "parar", "salir", "terminar")
	optOutJoined   = newPhraseSet("stop2end", "stop2quit", "stop2stop", "stop2optout", "stop2cancel")
	optOutFillers  = newPhraseSet("with", "back", "the", "word", "con")
	optOutLinks    = newPhraseSet("to", "2", "para")
)
