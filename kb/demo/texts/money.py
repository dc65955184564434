# ruff: noqa: E501  (article text: markdown table rows cannot wrap; *_PASSWORD names are article texts)
"""Demo articles: creator payouts, tax forms, coins and virtual gifts."""

from __future__ import annotations

from kb.demo.specs import DemoArticle, Revision

PAYOUT_DELAY_V1 = """\
Payouts run every Monday for the balance earned up to the previous Sunday. A creator who has not
received money by Friday of the same week has a delayed payout. Find out which kind of delay it is
before replying: the answer and the timeline differ.

## Find the reason

Open **Payouts > History** and read the status of the latest payout.

| Status | Meaning | What the creator must do | Typical time |
|---|---|---|---|
| Scheduled | Not yet sent | Nothing | Until Monday |
| Sent | Left us; the bank is processing | Wait, then ask their bank | 3–5 business days |
| Returned | The bank refused it | Fix the payout method | Next cycle after the fix |
| On hold: verification | Identity or tax details missing | Complete the steps in the banner | Next cycle after approval |
| On hold: review | Risk team is reviewing earnings | Nothing; do not share reasons | Up to 30 days |

## Steps

1. Read the status and the hold reason, if any.
2. For **Sent**, give the creator the payout reference so their bank can trace it.
3. For **Returned**, send them to *Verify a payout method and tax form*.
4. For **On hold: verification**, tell them exactly which item the banner lists.
5. For **On hold: review**, send *Reply: payout under review*. Never say why a review started.
6. Set the ticket to pending with a follow-up date one day after the expected time.

## Escalate when

- a payout has been **Sent** for more than 10 business days and the bank cannot find it;
- the hold reason is empty (a tooling fault, escalate to Payments Operations);
- the creator's balance is above 10,000 USD and the hold is older than 30 days.
"""

PAYOUT_METHOD = """\
Before the first payout, every creator adds a payout method and a tax form. Most returned payouts
and verification holds come from a mismatch between the two. This SOP covers checking them.

## Which tax form

| Creator | Form | Notes |
|---|---|---|
| US person (citizen, resident, US company) | W-9 | SSN or EIN must match IRS records |
| Individual outside the US | W-8BEN | Claims treaty rate where applicable |
| Company outside the US | W-8BEN-E | Needs the entity's country and GIIN if it has one |
| Singapore resident | W-8BEN plus local GST status | GST-registered creators add their GST number |

!!! warning "Support never fills in tax forms"
    Do not tell a creator which boxes to tick or which treaty applies. That is tax advice. Point
    them to the form instructions and their own tax adviser.

## Checklist

- [ ] The name on the payout method matches the legal name on the tax form
- [ ] The bank country matches the country on the tax form, or the creator explained why
- [ ] The payout method shows **Verified** (micro-deposit confirmed or card tokenised)
- [ ] The tax form shows **Accepted**, not **Submitted**

## Steps

1. Open **Payouts > Methods** and **Payouts > Tax** side by side.
2. Go through the checklist. Stop at the first item that fails.
3. Name mismatch: the creator must edit the method or re-submit the form; support cannot edit either.
4. Method not verified: the creator confirms the two micro-deposit amounts in the app within 10 days.
5. Form only submitted: acceptance takes up to 2 business days; tell the creator to wait.
6. When everything passes, held payouts are released in the next Monday run automatically.

## Escalate when

- the creator says the form was accepted but the console shows none (possible duplicate profile);
- a method is verified but every payout to it is returned.
"""

GIFT_REFUND_V1 = """\
Coins bought in the app and gifts sent with them are final purchases. Support refunds them only in
the cases below. Refunds always go back to the original payment method.

## When a refund is allowed

| Case | Refund | Limit |
|---|---|---|
| Coins bought by mistake and not yet spent | Full | Within 14 days of purchase |
| Gift sent to the wrong live stream by a technical fault we can confirm | Coins returned, not money | Confirmed in **Gifts > Fault log** |
| Purchase made by a hijacker (see *Recover a hijacked account*) | Full | After recovery is complete |
| Purchase by a minor | Handled only through the app store or the parent's card issuer | Not by support |

Everything else (regret, a creator ending a live early, a gift "not appreciated") is refused
politely with *Reply: gift refund outside the window*.

## Steps

1. Find the purchase in **Wallet > Purchases** and check it is unspent, or that the gift shows in the fault log.
2. Check the purchase date against the limit in the table.
3. For unspent coins, click **Refund purchase**. The coins disappear from the wallet at once.
4. For a confirmed fault, click **Return coins** on the gift. No money moves.
5. Reply with the refund amount and the expected time (5–10 business days to card).

!!! note "App-store purchases"
    Coins bought through an app store are refunded by that store. Give the user the store's refund
    link; we cannot refund them ourselves.

## Escalate when

- the user has asked for three or more refunds in 90 days (possible refund abuse);
- the purchase is above 500 USD.
"""

CHARGEBACK = """\
A chargeback is a card holder disputing a coin purchase with their bank. The bank takes the money
back; we lose the coins' value and a fee. Accounts with an open chargeback are locked from buying
coins until it is settled.

## Steps

1. Open **Wallet > Disputes**. Note the dispute reason the bank gave (fraud, not received, duplicate).
2. If the user contacted us, find out whether they recognise the purchase.
3. **They do not recognise it**: follow *Recover a hijacked account*; the dispute stands and we do not contest it.
4. **They recognise it** (often a family member bought coins): explain that the account stays
   locked from purchases while the dispute is open, and that they may withdraw the dispute with their bank.
5. **Coins already gifted**: gifts are not reversed from the creator. Do not tell the creator
   about the dispute.
6. Add an internal note with what the user said; the disputes team reads it when answering the bank.

## Checklist before closing

- [ ] Dispute reason recorded in the note
- [ ] Hijack ruled out or handed to the hijack procedure
- [ ] User told that buying is locked and why

!!! warning "Never ask for card details"
    We never need the card number. If a user sends one, delete the message content with
    **Redact** and tell them not to send it again.

## Escalate when

- the same card is disputed on more than one account;
- a creator received gifts funded mostly by disputed purchases (possible laundering; to Payments Risk).
"""

GIFTS_MISSING = """\
A user paid for coins but their wallet did not go up, or sent a gift that the creator never
received. Almost every case is a delay, not a loss.

## Find out which case it is

| Symptom | Check | Most likely |
|---|---|---|
| Paid, no coins | **Wallet > Purchases** shows the order | Store payment still pending |
| Paid, no order in Wallet | The user has a store receipt | Receipt not yet matched |
| Gift sent, creator saw nothing | **Gifts > Sent** shows the gift | Live ended before the animation; coins were still credited |
| Coins gone, no gift sent | **Wallet > Ledger** | Gift sent from another device signed in to the same account |

## Steps

1. Ask for the store receipt number (Apple: order ID; Google: GPA number) and the time of purchase.
2. Search it in **Wallet > Receipts**. If it is matched, the coins are in the wallet: ask the user
   to pull down to refresh.
3. If it is not matched, click **Match receipt**. Coins arrive within 5 minutes.
4. If the store says the payment is still pending, tell the user coins arrive automatically when
   the store completes it (up to 48 hours).
5. For gifts, show the user the line in **Gifts > Sent**: the creator's earnings include it even
   if the live had ended.

## Escalate when

- a matched receipt did not credit coins after 1 hour;
- many users report the same symptom in the same hour (possible incident: post in #payments-incidents first).
"""

CHEQUE = """\
Creators in some countries could ask for their payout as a paper cheque posted to their address.

## Steps

1. Check the creator's country is in the cheque list.
2. Confirm the postal address matches the tax form.
3. Switch the payout method to **Cheque** in **Payouts > Methods**.
4. Tell the creator cheques take 2–4 weeks to arrive.

## Escalate when

- a cheque has not arrived after 6 weeks.
"""

ARTICLES: tuple[DemoArticle, ...] = (
    DemoArticle(
        key="payout-delay",
        title="Creator payout delayed or on hold",
        kind="troubleshooting",
        summary="Read the payout status, tell the creator what it means and when to expect the money.",
        body=PAYOUT_DELAY_V1,
        categories=("PAYOUTS.DELAY",),
        tags=("payouts", "creators", "holds"),
        owner="lead",
        created_days_ago=190,
        revisions=(
            Revision(
                author="lead",
                note="Add the payout reference step for bank traces",
                days_ago=140,
                edits=(
                    (
                        "2. For **Sent**, give the creator the payout reference so their bank can trace it.",
                        "2. For **Sent**, give the creator the payout reference (starts with `PO-`) so their"
                        " bank can trace it.",
                    ),
                ),
                publish="minor",
            ),
            Revision(
                author="admin",
                note="Review holds now last up to 45 days (Payments Risk policy change)",
                days_ago=25,
                edits=(
                    (
                        "| Nothing; do not share reasons | Up to 30 days |",
                        "| Nothing; do not share reasons | Up to 45 days |",
                    ),
                    ("and the hold is older than 30 days.", "and the hold is older than 45 days."),
                ),
                publish="material",
                publish_note="Review holds: 30 → 45 days. Update what you tell creators.",
            ),
        ),
    ),
    DemoArticle(
        key="payout-method-tax",
        title="Verify a payout method and tax form",
        kind="sop",
        summary="Which tax form a creator needs and how to find the mismatch that holds their payouts.",
        body=PAYOUT_METHOD,
        categories=("PAYOUTS.METHOD", "PAYOUTS.TAX"),
        tags=("payouts", "tax", "w-8ben", "w-9"),
        owner="lead",
        created_days_ago=160,
    ),
    DemoArticle(
        key="gift-refund",
        title="Refund virtual gifts and coins",
        kind="sop",
        summary="The only cases in which coins or gifts are refunded, and how to refund them.",
        body=GIFT_REFUND_V1,
        categories=("GIFTS.REFUND",),
        tags=("gifts", "coins", "refund"),
        owner="lead",
        created_days_ago=220,
        revisions=(
            Revision(
                author="lead",
                note="Clarify app-store purchases",
                days_ago=150,
                edits=(
                    ("we cannot refund them ourselves.", "we cannot refund them ourselves, even partly."),
                ),
                publish="minor",
            ),
            Revision(
                author="lead",
                note="Refund window shortened from 14 to 7 days",
                days_ago=12,
                edits=(("| Full | Within 14 days of purchase |", "| Full | Within 7 days of purchase |"),),
                publish="material",
                publish_note="Refund window is now 7 days. Everyone who handles gift tickets must re-read.",
            ),
        ),
    ),
    DemoArticle(
        key="gift-chargeback",
        title="Chargeback on coin purchases",
        kind="sop",
        summary="What a chargeback locks, what to ask the user, and when a dispute points to a hijack.",
        body=CHARGEBACK,
        categories=("GIFTS.CHARGEBACK",),
        tags=("chargeback", "coins", "disputes"),
        owner="lead",
        created_days_ago=100,
    ),
    DemoArticle(
        key="gifts-not-received",
        title="Coins or gifts not received",
        kind="troubleshooting",
        summary="Match store receipts, find gifts that did arrive, and spot incidents early.",
        body=GIFTS_MISSING,
        categories=("GIFTS.MISSING",),
        tags=("coins", "gifts", "receipts"),
        owner="rizal",
        created_days_ago=85,
    ),
    DemoArticle(
        key="cheque-payouts",
        title="Request a paper-cheque payout",
        kind="sop",
        summary="Discontinued: cheque payouts ended; creators use bank transfer or e-wallet.",
        body=CHEQUE,
        categories=("PAYOUTS.METHOD",),
        tags=("payouts", "legacy"),
        owner="lead",
        created_days_ago=400,
        revisions=(
            Revision(
                author="lead",
                note="Cheque payouts discontinued",
                days_ago=60,
                edits=(
                    (
                        "Creators in some countries could ask",
                        "**Discontinued on 1 September.** Creators now use bank transfer or an e-wallet; see"
                        " *Verify a payout method and tax form*.\n\nCreators in some countries could ask",
                    ),
                ),
                publish="minor",
            ),
        ),
        final="archived",
    ),
)
