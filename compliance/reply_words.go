package compliance

// Word classes the reply inference reads (reply_intent.go). Words are in
// the normalised form of normalizeReply: upper case, accents and
// apostrophes dropped ("DONT", "NUMERO").
const (
	wStrong       uint32 = 1 << iota // FCC per-se word that is rarely anything else: STOP, UNSUBSCRIBE, REVOKE
	wWeak                            // per-se word with common other meanings: CANCEL, END, QUIT, BAJA
	wFrame                           // may precede a request: PLEASE, JUST, OK, YOU, TO
	wFrameI                          // "I" and "I'D": frames a strong word only ("how do I stop")
	wPronoun                         // IT, THIS, THEM: frames a request, with some doubt ("make it stop")
	wNeg                             // negation before a verb: DONT, NOT, NEVER
	wModifier                        // makes STOP/END a noun: BUS, LAST, THE
	wComplement                      // makes STOP/END something else: BY, IN, OF
	wFiller                          // may stand between a verb and its object: ME, THE, THESE, GETTING
	wPolite                          // politeness and time words: PLEASE, NOW, THANKS
	wMessage                         // the messages themselves: TEXTS, MESSAGES, SENDING, RECEIVE
	wObject                          // a thing that is not the messages: APPOINTMENT, ORDER, DELIVERY
	wWant                            // WANT, WISH, NEED, LIKE
	wConsent                         // CONSENT, PERMISSION
	wWithdraw                        // WITHDRAW, RESCIND
	wRemove                          // REMOVE, DELETE, TAKE, LOSE, ELIMINA
	wRemoveTarget                    // ME, NUMBER, NUMERO, LIST
	wRemoveMe                        // SAQUENME, BORRENME: remove-me in one word
	wEsWant                          // QUIERO, DESEO, NECESITO (after NO)
	wEsSend                          // ENVIEN, MANDEN, ESCRIBAN (after NO or NO ME)
	wSign                            // SIGN, SIGNED
	wOpt                             // OPT (of OPT OUT)
)

// replyWords maps each known word to its classes.
var replyWords = func() map[string]uint32 {
	m := make(map[string]uint32, 400)
	add := func(class uint32, words ...string) {
		for _, w := range words {
			m[w] |= class
		}
	}
	// FCC per-se revocation words (ABA, MAN), split by how often they mean
	// something else in a reply; plus carrier and Spanish keywords (CP).
	add(wStrong, "STOP", "STOPALL", "UNSUBSCRIBE", "UNSUB", "OPTOUT", "REVOKE")
	add(wWeak, "CANCEL", "END", "QUIT", "BAJA", "PARAR", "PAREN", "ALTO", "CANCELAR", "DETENER", "ARRET")
	add(wFrame, "PLEASE", "PLS", "PLZ", "PLEASSE", "JUST", "OK", "OKAY", "K", "NO", "YES", "YEAH", "THANKS",
		"THANK", "THX", "TY", "YOU", "U", "YALL", "TO", "AND", "SO", "NOW", "HEY", "HI", "HELLO", "ALREADY",
		"SERIOUSLY", "OMG", "SAID", "SAY", "SIR", "MAAM", "GUYS", "DO", "CAN", "FAVOR", "QUIERO", "DESEO",
		"GRACIAS", "Y", "YA", "PORFAVOR", "PORFA", "HOLA", "SI", "AGAIN")
	add(wFrameI, "I", "ID", "IM", "ILL", "WE")
	add(wPronoun, "IT", "THIS", "THEM", "THESE", "THAT")
	add(wNeg, "DONT", "NOT", "NEVER", "DIDNT", "DOESNT", "WONT", "CANT", "SHOULDNT", "WOULDNT", "NUNCA")
	add(wModifier, "BUS", "NEXT", "LAST", "FIRST", "PIT", "TRUCK", "ONE", "FULL", "NON", "REST", "TRAIN",
		"TRAM", "THE", "A", "YOUR", "MY", "EACH", "EVERY", "NEAREST", "OUR", "HIS", "HER", "THEIR", "DEAD",
		"BACK", "FRONT", "LOW", "HIGH", "DEEP", "TAIL", "WEEK", "YEAR", "MONTH", "DAY", "SHIFT", "MUY", "MAS",
		"EL", "LA", "UN", "UNA", "SALE", "SHOW", "SEASON", "GAME", "QUARTER", "TERM", "PLAN", "TRIAL")
	add(wComplement, "BY", "IN", "OVER", "AT", "THERE", "HERE", "ON", "OFF", "AROUND", "FOR", "UNTIL",
		"WHEN", "BEFORE", "AFTER", "OF", "TIME", "DATE", "POINT", "SIGN", "LIGHT", "WATCH", "GAP", "LOSS",
		"EARLY", "LATE", "UP", "RESULT", "USER", "DE", "THAN", "IS", "WAS", "WILL", "HAS", "TO")
	add(wFiller, "ME", "THE", "THESE", "THOSE", "THIS", "THAT", "ALL", "ANY", "YOUR", "UR", "MY", "OF", "FROM",
		"EM", "THEM", "IT", "US", "GETTING", "GET", "SO", "MANY", "WITH", "YOURE", "THEIR", "AUTOMATED",
		"ESTOS", "ESTAS", "ESTE", "LOS", "LAS", "MIS", "SUS", "TUS", "DE", "MAS", "LOS", "A", "AN", "STUPID",
		"ANNOYING", "DAMN", "FREAKING", "FUCKING", "EVERY", "SINGLE", "MORE", "OTHER", "SUCH", "ALSO")
	add(wPolite, "PLEASE", "PLS", "PLZ", "NOW", "THANKS", "THANK", "YOU", "THX", "TY", "IMMEDIATELY", "ASAP",
		"ALREADY", "AGAIN", "FOREVER", "PERMANENTLY", "RIGHT", "OK", "OKAY", "POR", "FAVOR", "YA", "GRACIAS",
		"PORFAVOR", "PORFA", "AHORA", "ANYMORE", "ANY", "MORE", "TODAY", "STOP", "STOPALL", "NOMAS", "SERIOUSLY",
		"DUDE", "GUYS", "SIR", "MAAM", "LOL", "OMG", "THIS", "INSTANTLY", "COMPLETELY", "TOTALLY", "ENTIRELY",
		"THEN", "TOO", "ALSO", "FINALLY", "ALL", "THAT", "IT", "THEM", "ME", "YALL")
	add(wMessage, "TEXT", "TEXTS", "TEXTING", "TEXTED", "TXT", "TXTS", "TXTING", "MESSAGE", "MESSAGES",
		"MESSAGING", "MSG", "MSGS", "MSGING", "SMS", "ALERT", "ALERTS", "NOTIFICATION", "NOTIFICATIONS",
		"REMINDER", "REMINDERS", "PROMO", "PROMOS", "PROMOTION", "PROMOTIONS", "PROMOTIONAL", "ADS", "ADVERTS",
		"SPAM", "SPAMMING", "RECEIVE", "RECEIVING", "SEND", "SENDING", "CONTACT", "CONTACTING", "CALLING",
		"BOTHERING", "HARASSING", "MARKETING", "NEWSLETTER", "UPDATES", "OFFERS", "DEALS", "CONSENT",
		"SUBSCRIPTION", "MENSAJES", "MENSAJE", "TEXTOS", "RECIBIR", "ENVIAR", "MANDAR", "ENVIARME", "MANDARME",
		"PROMOCIONES", "ALERTAS", "NOTIFICACIONES", "LIST", "LISTA", "PROGRAM", "CAMPAIGN", "EMAILS")
	add(wObject, "APPOINTMENT", "APPOINTMENTS", "APPT", "ORDER", "ORDERS", "DELIVERY", "DELIVERIES",
		"SHIPMENT", "PAYMENT", "PAYMENTS", "RESERVATION", "BOOKING", "CARD", "CHECK", "TRIP", "RIDE", "FLIGHT",
		"MEETING", "VISIT", "CLASS", "SESSION", "AUTOPAY", "ITEM", "ITEMS", "PACKAGE", "BOX", "DRIVER",
		"TRANSFER", "TRANSACTION", "REFUND", "ACCOUNT", "MEMBERSHIP", "GYM", "JOB", "SMOKING", "DRINKING",
		"CAR", "BUS", "TRAIN", "RAIN", "RAINING", "NOISE", "MAIL", "SERVICE", "PLAN", "PRESCRIPTION", "REFILL",
		"PICKUP", "CITA", "PEDIDO", "ORDEN", "RESERVA", "ENTREGA", "PAGO", "SHIPPING", "CHARGE", "CHARGES",
		"BILL", "TICKET", "TICKETS", "TOUR", "LESSON", "CONSULTATION", "REPAIR", "INSTALL", "INSTALLATION",
		"CLEANING", "TREATMENT", "THERAPY", "DAYCARE", "LEASE", "RENTAL", "TABLE", "EVENT", "PARTY")
	add(wWant, "WANT", "WANNA", "WISH", "NEED", "LIKE", "CARE", "ASKED", "REQUESTED", "AGREED")
	add(wConsent, "CONSENT", "PERMISSION", "AUTHORIZATION", "AUTHORISATION", "AGREEMENT")
	add(wWithdraw, "WITHDRAW", "WITHDRAWING", "WITHDRAWN", "RESCIND", "RESCINDING", "RETRACT", "REVOKING",
		"REVOKED", "REVOCAR", "RETIRO")
	add(wRemove, "REMOVE", "REMOVED", "DELETE", "DELETED", "ERASE", "TAKE", "LOSE", "DROP", "SCRUB", "BORRAR", "BORREN", "BORRA",
		"ELIMINAR", "ELIMINEN", "ELIMINA", "QUITAR", "QUITEN", "QUITA", "SACAR", "SAQUEN", "SACA")
	add(wRemoveTarget, "ME", "NUMBER", "NUMBERS", "NUMERO", "CONTACT", "LIST", "LISTA", "DATABASE", "INFO")
	add(wRemoveMe, "SACAME", "SAQUENME", "BORRENME", "BORRAME", "ELIMINENME", "ELIMINAME", "QUITENME",
		"QUITAME", "UNSUBSCRIBED")
	add(wEsWant, "QUIERO", "DESEO", "NECESITO", "QUIERE", "QUEREMOS")
	add(wEsSend, "ENVIEN", "MANDEN", "ENVIES", "MANDES", "ESCRIBAN", "ESCRIBAS", "TEXTEEN", "CONTACTEN",
		"MOLESTEN", "ENVIAR", "MANDAR", "LLAMEN")
	add(wSign, "SIGN", "SIGNED", "SUBSCRIBE", "SUBSCRIBED", "OPTED")
	add(wOpt, "OPT")
	return m
}()
