// Browser scenario for the Herald console, run by e2e_test.go.
// Environment: BASE_URL (the console, ending in /), HERALD_CHROMIUM,
// HERALD_NODE_MODULES, ARTIFACTS (where screenshots go).
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { chromium } = require(path.join(process.env.HERALD_NODE_MODULES, "playwright-core"));

const base = process.env.BASE_URL;
const artifacts = process.env.ARTIFACTS;
const timeout = 15000;

function step(msg) { console.log("step: " + msg); }
function check(cond, msg) { if (!cond) throw new Error("check failed: " + msg); }

async function text(page, sel) { return (await page.locator(sel).first().textContent()).trim(); }

async function counterIs(page, chars, segments, encoding) {
  await page.waitForFunction(([c, s, e]) => {
    const t = (id) => document.getElementById(id).textContent.trim();
    return t("count-chars") === c && t("count-segments") === s && t("count-encoding") === e;
  }, [String(chars), String(segments), encoding], { timeout });
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(artifacts, name + ".png"), fullPage: true });
}

async function main() {
  fs.mkdirSync(artifacts, { recursive: true });
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "herald-chromium-"));
  const ctx = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.HERALD_CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const problems = [];
  try {
    const page = ctx.pages()[0] || await ctx.newPage();
    page.setDefaultTimeout(timeout);
    page.on("console", (m) => {
      // The refused send answers 422 and the closed pages 403 on purpose; anything else is a fault.
      if (m.type() === "error" && !/status of (422|403)/.test(m.text())) problems.push("console error: " + m.text());
    });
    page.on("pageerror", (e) => problems.push("page error: " + e.message));

    step("the live counter");
    await page.goto(base);
    check(page.url().endsWith("/console/send"), "the console root redirects to send, got " + page.url());
    await page.fill("#body", "a".repeat(160));
    await counterIs(page, 160, 1, "GSM-7");
    await page.locator("#body").press("End");
    await page.locator("#body").pressSequentially("a");
    await counterIs(page, 161, 2, "GSM-7");
    await page.locator("#body").pressSequentially("😀");
    await counterIs(page, 162, 3, "UCS-2");
    check((await text(page, "#ucs2-chars")).includes("U+1F600"), "the emoji is named as forcing UCS-2");
    check(await page.locator("#ucs2").isVisible(), "the UCS-2 notice is shown");
    await shot(page, "send-counter");

    step("the smart-encoded alternative");
    await page.fill("#body", "“Your parcel” arrives today");
    await counterIs(page, 27, 1, "UCS-2");
    await page.locator("#smart").waitFor({ state: "visible" });
    await page.click("#use-smart");
    await counterIs(page, 27, 1, "GSM-7");
    check((await page.inputValue("#body")) === "\"Your parcel\" arrives today", "smart text replaced the body");

    step("a snippet: the counter measures the expanded text");
    await page.fill("#body", "Hi. ");
    await counterIs(page, 4, 1, "GSM-7");
    await page.locator("#body").press("End");
    await page.selectOption("#snippet", "sig");
    await page.click("#insert-snippet");
    check((await page.inputValue("#body")) === "Hi. {{> sig}}", "the snippet reference is inserted, got " + await page.inputValue("#body"));
    await counterIs(page, 4 + "Northwind Parcel. Reply STOP to opt out".length, 1, "GSM-7");

    step("Send is refused until the acknowledgement is ticked");
    await page.fill("#to", "+1 415 555 2671, 555-01\n+14155552672");
    await page.fill("#body", "a".repeat(161));
    await counterIs(page, 161, 2, "GSM-7");
    await page.selectOption("#topic", "deliveries");
    // Bypass the browser's own required-checkbox prompt: the server must refuse too.
    await page.evaluate(() => { document.getElementById("ack").required = false; });
    await page.click("#preview");
    await page.locator("p.error").waitFor();
    check((await text(page, "p.error")).includes("tick the acknowledgement"), "the refusal asks for the acknowledgement");
    check(await page.locator("#preflight").count() === 0, "no preflight without acknowledgement");
    await shot(page, "send-refused");

    step("preflight, then confirm");
    await page.check("#ack");
    await page.click("#preview");
    await page.locator("#preflight").waitFor();
    check(await text(page, "#pf-recipients") === "3", "3 recipients");
    check(await text(page, "#pf-invalid") === "1", "1 invalid");
    await shot(page, "preflight");
    await page.click("#confirm");
    await page.locator("#result").waitFor();
    const bad = await page.locator("#problems td.number").allTextContents();
    check(bad.length === 1 && bad[0].trim() === "555-01", "the invalid number is named, got " + JSON.stringify(bad));
    check((await text(page, "#problems")).toLowerCase().includes("invalid"), "its error is shown");
    await shot(page, "sent");

    step("the tally counts 2 sent, then 2 delivered");
    await page.goto(base + "history");
    const row = 'tr[data-topic="deliveries"]';
    check(await text(page, row + " td.sent") === "2", "2 sent");
    const deadline = Date.now() + timeout;
    while (await text(page, row + " td.delivered") !== "2") {
      check(Date.now() < deadline, "2 delivered within " + timeout + " ms");
      await page.waitForTimeout(250);
      await page.reload();
    }
    await shot(page, "history");

    step("recent messages and one message");
    await page.click(row + " a");
    await page.locator("#recent").waitFor();
    check((await page.locator("#recent .delivered-yes").count()) === 2, "2 delivered marks");
    await shot(page, "recent");
    await page.locator("#recent a", { hasText: "Detail" }).first().click();
    await page.locator("#message").waitFor();
    await shot(page, "message");

    step("a conversation: thread, reply, live update, resolve");
    const inboundURL = new URL("/e2e/inbound", base).toString();
    const say = async (body) => {
      const r = await page.request.post(inboundURL, { form: { from: "+14155552672", body } });
      check(r.ok(), "inbound accepted, got HTTP " + r.status());
    };
    await say("Is it fragile?");
    await page.goto(base + "conversations");
    await page.fill('#search input[name="q"]', "(415) 555-2672");
    await page.click("#search button");
    check(await page.locator("#conversations tbody tr[data-number]").count() === 1, "the search finds one conversation");
    await page.click('#conversations a');
    await page.locator("#thread").waitFor();
    check((await text(page, "#thread")).includes("Is it fragile?"), "the reply is in the thread");
    check((await text(page, "#thread li.out")).includes("a".repeat(20)), "our notice opens the thread");
    await page.fill("#reply-body", "Yes, handle it with care.");
    await page.click('#reply-form button[type="submit"]');
    await page.locator("p.flash").waitFor();
    check((await text(page, "p.flash")).includes("Reply sent"), "the reply is sent");
    check((await page.locator("#thread li.out").last().textContent()).includes("handle it with care"), "our reply is in the thread: " + await text(page, "#thread"));
    await say("Thanks, see you then");
    await page.waitForFunction(() => document.getElementById("thread").textContent.includes("Thanks, see you then"), null, { timeout });
    check((await text(page, "#thread-state")) === "2 open", "two open replies, got " + await text(page, "#thread-state"));
    await shot(page, "conversation");
    await page.click("#resolve-form button");
    await page.locator("p.flash").waitFor();
    check((await text(page, "#thread-state")) === "resolved", "the conversation is resolved");

    step("an unknown outcome is resent only after accepting a double text");
    await page.goto(base + "send");
    await page.fill("#to", "+14155552699");
    await page.fill("#new-topic", "unknowns");
    await page.fill("#body", "Your parcel is out for delivery");
    await page.click("#preview");
    await page.locator("#preflight").waitFor();
    await page.click("#confirm");
    await page.locator("#result").waitFor();
    check((await text(page, "#problems")).includes("unknown"), "the send is unknown");
    await page.goto(base + "recent?topic=unknowns");
    await page.locator("#recent a", { hasText: "Detail" }).first().click();
    await page.locator("#unknown").waitFor();
    check(await page.locator('#resend-form input[name="accept_double"]').evaluate((e) => e.required), "the double-text box must be ticked");
    await page.check('#resend-form input[name="accept_double"]');
    page.once("dialog", (d) => d.accept());
    await page.click("#resend-form button");
    await page.locator("p.flash").waitFor();
    check((await text(page, "p.flash")).startsWith("Resent as notification"), "resent: " + await text(page, "p.flash"));
    await shot(page, "resend");

    step("an unknown outcome is marked delivered after confirming how the agent knows");
    await page.goto(base + "recent?topic=unknowns");
    check((await page.locator("#recent a", { hasText: "Detail" }).count()) === 2, "the original and the resend are listed");
    await page.locator("#recent a", { hasText: "Detail" }).first().click();
    await page.locator("#settle-form").waitFor();
    check(await page.locator('#settle-form input[name="confirm_delivered"]').evaluate((e) => e.required), "the confirmation box must be ticked");
    check(await page.locator('#settle-form input[name="note"]').evaluate((e) => e.required), "the note is required");
    // Bypass the browser's own checks: the server must refuse too.
    await page.evaluate(() => document.querySelectorAll("#settle-form [required]").forEach((e) => { e.required = false; }));
    page.once("dialog", (d) => d.accept());
    await page.click("#settle-form button");
    await page.locator("p.error").waitFor();
    check((await text(page, "p.error")).includes("Tick that the customer received this text"), "refused without confirmation: " + await text(page, "p.error"));
    check(await page.locator("#unknown").count() === 1, "still unknown after the refusal");
    await page.fill('#settle-form input[name="note"]', "Customer confirmed by phone");
    await page.check('#settle-form input[name="confirm_delivered"]');
    let asked = "";
    page.once("dialog", (d) => { asked = d.message(); d.accept(); });
    await page.click("#settle-form button");
    await page.locator("p.flash").waitFor();
    check(asked === "Mark as delivered?", "the button asks for confirmation, asked " + JSON.stringify(asked));
    check((await text(page, "p.flash")).startsWith("Marked as delivered"), "marked: " + await text(page, "p.flash"));
    check(await page.locator("#unknown").count() === 0, "no longer unknown");
    const history = await text(page, "#statuses");
    check(history.includes("agent@example.com") && history.includes("Customer confirmed by phone"), "the history names who and why: " + history);
    await shot(page, "settled");
    await page.goto(base + "history");
    const urow = 'tr[data-topic="unknowns"]';
    const counts = [await text(page, urow + " td.sent"), await text(page, urow + " td.delivered"), await text(page, urow + " td.unknown")];
    check(JSON.stringify(counts) === JSON.stringify(["1", "1", "1"]), "unknowns: 1 sent, 1 delivered, 1 unknown, got " + JSON.stringify(counts));

    step("History lists the paused notifications with why, and resumes one");
    const listed = await (await page.request.get(new URL("/e2e/listed", base).toString())).text();
    await page.goto(base + "history");
    await page.locator("#paused-list").waitFor();
    check(await page.locator("#paused-list tbody tr").count() === 2, "two paused notifications listed");
    const listedRow = '#paused-list tr[data-notification="' + listed + '"]';
    check((await text(page, listedRow + " td.reason")) === "wrong segment list", "its pause reason is shown");
    check((await text(page, "#paused-list")).includes("held for legal review"), "the other's reason is shown");
    await shot(page, "paused-list");
    await page.click(listedRow + " button");
    await page.locator("p.flash").waitFor();
    check((await text(page, "p.flash")) === "Resumed notification " + listed + ".", "resumed: " + await text(page, "p.flash"));
    check(await page.locator(listedRow).count() === 0, "the resumed notification left the list");
    check(await page.locator("#paused-list tbody tr").count() === 1, "one paused notification left");

    step("a paused notification shows why and resumes");
    const held = await (await page.request.get(new URL("/e2e/paused", base).toString())).text();
    await page.goto(base + "message?id=" + encodeURIComponent(held));
    check((await text(page, "#paused")).includes("held for legal review"), "the pause reason is shown");
    await page.click("#resume-form button");
    await page.locator("p.flash").waitFor();
    check((await text(page, "p.flash")).startsWith("Resumed"), "resumed: " + await text(page, "p.flash"));
    check(await page.locator("#paused").count() === 0, "no longer paused");
    await page.goto(base + "history");
    check(await page.locator("#paused-list").count() === 0, "nothing paused is listed any more");

    step("a CSV with per-recipient values, scheduled");
    await page.goto(base + "send");
    await page.setInputFiles("#csv", { name: "list.csv", mimeType: "text/csv", buffer: Buffer.from("phone,name\n+14155552674,Ann\n+14155552675,Bo\n") });
    await page.fill("#body", "Hi {{name}}, your parcel is on its way");
    const tomorrow = new Date(Date.now() + 36 * 3600 * 1000).toISOString().slice(0, 16);
    await page.fill("#send-after", tomorrow);
    await page.click("#preview");
    await page.locator("#preflight").waitFor();
    check(await text(page, "#pf-recipients") === "2", "2 recipients from the CSV");
    check((await text(page, "#pf-send-after")).startsWith(tomorrow), "the schedule is shown");
    await page.click("#confirm");
    await page.locator("#scheduled").waitFor();
    check((await text(page, "#scheduled")).includes(tomorrow), "scheduled for " + tomorrow);

    step("an opt-in with its evidence");
    await page.goto(base + "optouts?number=%2B14155552673");
    await page.selectOption('#opt-in select[name="kind"]', "marketing");
    await page.fill('#opt-in input[name="evidence"]', "Signed form F-77");
    await page.click('#opt-in button');
    await page.locator("p.flash").waitFor();
    check((await text(page, "p.flash")).includes("opted in"), "opted in");
    check((await text(page, "#trail")).includes("Signed form F-77"), "the evidence is in the trail");

    step("at 390 px wide nothing overflows");
    await page.setViewportSize({ width: 390, height: 844 });
    for (const p of ["send", "history", "conversations"]) {
      await page.goto(base + p);
      const over = await page.evaluate(() => {
        const h = document.querySelector("header");
        return { page: document.documentElement.scrollWidth, header: h.scrollWidth, width: h.clientWidth };
      });
      check(over.page <= 390 && over.header <= over.width, p + " overflows at 390 px: " + JSON.stringify(over));
    }
    await shot(page, "narrow");
    await page.setViewportSize({ width: 1280, height: 800 });

    step("topics, opt-outs, replies");
    await page.goto(base + "topics");
    await page.fill('#create-topic input[name="name"]', "returns");
    await page.fill('#create-topic input[name="title"]', "Parcel returns");
    await page.click('#create-topic button');
    check((await text(page, "p.flash")).includes("created"), "topic created");
    await shot(page, "topics");
    await page.goto(base + "optouts?number=%2B14155552671");
    await page.fill('#opt-out input[name="reason"]', "Asked by phone");
    page.once("dialog", (d) => d.accept());
    await page.click("#opt-out button");
    await page.locator("#consent-state").waitFor();
    check((await text(page, "#consent-state")).includes("Opted out"), "the number is opted out");
    await shot(page, "optouts");
    await page.goto(base + "replies");
    await page.locator("#replies").waitFor();
    await shot(page, "replies");

    step("a person with no contact point sees no outbound area");
    const host = new URL(base).hostname;
    await ctx.addCookies([{ name: "e2e_as", value: "viewer", domain: host, path: "/" }]);
    await page.goto(base + "send");
    check(await page.locator("#no-access").isVisible(), "the Send page says why");
    check(await page.locator("#send-form").count() === 0, "no send form");
    check(await page.locator("header nav a").count() === 0, "no links into the outbound area");
    for (const p of ["history", "topics", "optouts?number=%2B14155552671", "replies", "recent?topic=deliveries"]) {
      const resp = await page.goto(base + p);
      check(resp.status() === 403, p + " answers 403, got " + resp.status());
      check(!(await page.content()).includes("+14155552671</td>"), p + " shows no number");
    }
    await shot(page, "no-contact-point");
    await ctx.clearCookies({ name: "e2e_as" });
    await page.goto(base + "topics");
    check(await page.locator("#create-topic").count() === 1, "the agent manages topics again");

    check(problems.length === 0, "no console or page errors (CSP violations show here): " + problems.join("; "));
    console.log("scenario passed");
  } finally {
    await ctx.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e && e.stack || e); process.exit(1); });
