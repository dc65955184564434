"""Demo articles: copyright, law-enforcement requests, content removal, strikes and branded content."""

from __future__ import annotations

from kb.demo.specs import LEGAL, DemoArticle, Revision

DMCA = """\
A copyright takedown notice (a DMCA notice in the US, or the equivalent elsewhere) asks us to remove
content that uses someone's copyrighted work without permission. A complete notice must be acted on
quickly; an incomplete one is returned to the sender.

## A complete notice has

- [ ] The claimant's name, postal address, phone and email
- [ ] A description of the copyrighted work
- [ ] A link to each piece of content they want removed (not a profile link)
- [ ] A statement of good-faith belief that the use is not authorised
- [ ] A statement, under penalty of perjury, that the information is accurate and they may act for the owner
- [ ] A physical or electronic signature

## Steps

1. Check the notice against the list. If anything is missing, reply with the copyright form link
   and the missing items, then close the ticket.
2. Open each link. If the content is already gone, note it; otherwise remove it with
   **Remove > Copyright**. The uploader is notified with the claimant's name and email, as the law
   requires.
3. The uploader gets a copyright strike. Three copyright strikes in 90 days close the account.
4. Reply to the claimant with the list of removed items.
5. Log the notice in **Legal > Copyright log** (the transparency report is built from it).

## Do not

- judge fair use yourself: if the notice is complete, we remove and the uploader may counter-notify;
- remove a whole account because of one notice;
- remove content the notice does not link to, even if it looks similar.

## Escalate when

- the claimant is a major rights holder sending more than 50 links (use the bulk tool; ask the lead);
- the content is news reporting or criticism of the claimant (possible abuse of the process);
- the claimant threatens a lawsuit against us.
"""

COUNTER_NOTICE = """\
An uploader whose content was removed after a copyright notice may send a counter-notice saying the
removal was a mistake or that their use is allowed. If it is complete, we restore the content after
10 business days unless the claimant tells us they have gone to court.

## A complete counter-notice has

- [ ] The uploader's name, address, phone and email
- [ ] The removed content's link or ID
- [ ] A statement under penalty of perjury that it was removed by mistake or misidentification
- [ ] Consent to the jurisdiction of the courts (for US notices: the federal district court of their address)
- [ ] A signature

## Steps

1. Find the original notice in **Legal > Copyright log**. A counter-notice must refer to content
   removed for copyright; other removals are appeals (see *Handle an appeal of a content removal*).
2. Check the counter-notice against the list. Return incomplete ones with the missing items.
3. Forward the complete counter-notice to the claimant from the log (**Forward counter-notice**).
   The uploader's contact details go to the claimant: tell the uploader before you forward.
4. Set a follow-up on the ticket for 10 business days later.
5. On that date, if the claimant has not sent proof of a court action, click **Restore** in the log.
   The copyright strike is removed with it.
6. Tell both sides the outcome.

!!! warning "Never restore early"
    Restoring before the 10 business days end can make us liable. The console blocks it; do not ask
    a lead to override it.

## Escalate when

- the claimant sends proof of a court action (legal team takes over);
- the uploader is under 18 (their parent or guardian must sign).
"""

LE_REQUEST = """\
This procedure is restricted to the Legal Response team. It covers requests from police, courts and
other authorities for user data or content preservation.

!!! danger "Nothing leaves without legal review"
    No one outside Legal Response may confirm whether an account exists to an authority. Route any
    request that reaches another queue here without replying.

## Types of request

| Request | What we may disclose | Legal process needed |
|---|---|---|
| Preservation | Nothing; we freeze data for 90 days | Official letterhead and a case number |
| Basic subscriber info | Sign-up email, phone, dates, IPs | Subpoena or local equivalent |
| Content of messages | Messages and private videos | Search warrant or local equivalent |
| Emergency disclosure | What prevents death or serious harm | Emergency form signed by an officer |

## Steps

1. Confirm the sender: the email domain must be an official agency domain; call back on a number
   from the agency's public website if in doubt.
2. Log the request in **Legal > Requests** with the agency, case number and deadline.
3. Check the process matches what is asked (table above). If not, reply with our law-enforcement
   guidelines and what process is needed.
4. For preservation, click **Preserve** on the account. It lasts 90 days and can be extended once.
5. For disclosure, prepare the export in **Legal > Export** and ask a second member of the team to
   check it before sending. Disclose only what the process covers.
6. Notify the user unless the request includes a non-disclosure order or the case involves a risk
   to a child or to life.

## Checklist

- [ ] Sender verified
- [ ] Request logged with its deadline
- [ ] Second reviewer signed off the export
- [ ] User notified, or the reason for not notifying recorded

## Escalate when

- the request comes from a country where we have no legal entity (to in-house counsel);
- an emergency request arrives outside business hours (duty lawyer on the rota, by phone).
"""

REMOVAL_APPEAL_V1 = """\
When we remove a post, video or comment, the creator can appeal once. This SOP covers appeals that
reach support as tickets instead of through the in-app button.

## Steps

1. Find the removal in **Content > Enforcement** and note the rule, the date and whether it was
   automated.
2. Check the appeal window: appeals are accepted for 180 days after the removal.
3. Ask the creator what they think we got wrong, if they did not say.
4. Submit the appeal with **Appeal > Submit on behalf**, pasting their words.
5. Reply with *Reply: appeal received* and set the ticket to pending.

## Outcomes

| Decision | What happens |
|---|---|
| Restored | Content back, strike removed |
| Upheld | Content stays down; no second appeal |

## Escalate when

- the removal was for copyright (follow *Process a copyright counter-notice* instead);
- the creator has a campaign deadline with a brand partner in the next 48 hours.
"""

STRIKES = """\
Community Guidelines strikes are how we respond to repeated violations. This policy explains them
so specialists can answer creators consistently.

## How strikes work

1. Each removal for a guideline violation adds a strike to the account.
2. A strike expires **90 days** after it was given.
3. Strikes that are successfully appealed are removed at once.
4. Severe violations (child safety, violent extremism, sale of illegal goods) close the account
   with no strike count.

## Consequences

| Active strikes | Consequence |
|---|---|
| 1 | Warning in the app; no feature limits |
| 2 | No live and no gifting for 7 days |
| 3 | No posting for 14 days; no payouts while it lasts |
| 4 or more | Account suspended; appeal possible once |

Copyright strikes count separately: three copyright strikes in 90 days close the account.

## What specialists may say

- The number of active strikes, their dates and their expiry dates (the creator sees them too).
- Which rule each strike was for.

## What specialists must not say

- Who reported the content.
- Whether a strike "would be" removed on appeal.
- Anything about another account's strikes.
"""

BRAND_DEALS = """\
Creators who are paid, or receive free products, to feature a brand must disclose it. Disclosure
protects viewers and is required by consumer law in most of our markets.

## What must be disclosed

- Money, free products, discounts, trips, or affiliate commission in exchange for content
- Content made with a brand's control over what is said, even without payment
- The creator's own brand or business when they promote it

## How to disclose

1. Turn on **Branded content** when posting. It adds the "Paid partnership" label.
2. Say it in the content itself as well, in the language of the video: a spoken or on-screen
   statement in the first seconds, not only in hashtags at the end.
3. Never hide it behind "more" or in a comment.

| Situation | Label needed? |
|---|---|
| Product bought with own money, honest review | No |
| Product sent free, no obligation to post | Yes |
| Affiliate link in bio | Yes |
| Creator's own merchandise | Yes |

## Enforcement

Undisclosed branded content is removed after one warning. Repeated failure removes access to the
branded-content tools for 90 days. Promotion of banned products (weapons, tobacco, gambling where
illegal, weight-loss products for minors) is removed without warning.

## When creators ask support

Explain the rules above; do not review a draft video or contract for them. Point them to the
Creator Academy's branded-content course.
"""

ARTICLES: tuple[DemoArticle, ...] = (
    DemoArticle(
        key="dmca-notice",
        title="Process a copyright (DMCA) takedown notice",
        kind="sop",
        summary="Check a copyright notice is complete, remove the linked content and log it.",
        body=DMCA,
        categories=("LEGAL.COPYRIGHT",),
        tags=("copyright", "dmca", "legal"),
        owner="admin",
        created_days_ago=230,
        review_interval_days=180,
    ),
    DemoArticle(
        key="dmca-counter-notice",
        title="Process a copyright counter-notice",
        kind="sop",
        summary="Check a counter-notice, forward it to the claimant, and restore after 10 business days.",
        body=COUNTER_NOTICE,
        categories=("LEGAL.COPYRIGHT.COUNTER",),
        tags=("copyright", "dmca", "counter-notice", "legal"),
        owner="admin",
        created_days_ago=225,
        review_interval_days=180,
    ),
    DemoArticle(
        key="le-data-request",
        title="Law-enforcement data request",
        kind="sop",
        summary="Restricted: verify the authority, match the legal process to the data, second review.",
        body=LE_REQUEST,
        categories=("LEGAL.LE_REQUEST",),
        tags=("law enforcement", "legal", "restricted"),
        owner="admin",
        teams=(LEGAL,),
        created_days_ago=310,
        review_interval_days=180,
    ),
    DemoArticle(
        key="content-removal-appeal",
        title="Handle an appeal of a content removal",
        kind="sop",
        summary="Submit a creator's appeal against a content removal and set the right expectations.",
        body=REMOVAL_APPEAL_V1,
        categories=("CONTENT.REMOVAL.APPEAL",),
        tags=("appeal", "content removal", "strikes"),
        owner="lead",
        created_days_ago=175,
        revisions=(
            Revision(
                author="lead",
                note="Appeal window shortened to 60 days",
                days_ago=110,
                edits=(
                    ("accepted for 180 days after the removal.", "accepted for 60 days after the removal."),
                ),
                publish="material",
            ),
            Revision(
                author="rizal",
                note="Add expected decision times",
                days_ago=40,
                edits=(
                    (
                        "5. Reply with *Reply: appeal received* and set the ticket to pending.",
                        "5. Reply with *Reply: appeal received* and set the ticket to pending. Automated"
                        " removals are decided within 3 days, human decisions within 7.",
                    ),
                ),
                publish="minor",
            ),
            Revision(
                author="lead",
                note="Restored content gets its reach back; clarify the outcomes table",
                days_ago=8,
                edits=(
                    (
                        "| Restored | Content back, strike removed |",
                        "| Restored | Content back with its views and reach, strike removed |",
                    ),
                ),
                publish="minor",
            ),
        ),
    ),
    DemoArticle(
        key="strikes-policy",
        title="Community Guidelines strikes explained",
        kind="policy",
        summary="How strikes are given, when they expire, what each count means, and what we may say.",
        body=STRIKES,
        categories=("CONTENT.STRIKES",),
        tags=("strikes", "policy", "enforcement"),
        owner="admin",
        created_days_ago=320,
        review_interval_days=365,
    ),
    DemoArticle(
        key="brand-deal-disclosure",
        title="Brand-deal disclosure policy",
        kind="policy",
        summary="What creators must disclose as branded content, how, and what happens if they do not.",
        body=BRAND_DEALS,
        categories=("CONTENT.BRANDED",),
        tags=("branded content", "policy", "creators"),
        owner="lead",
        created_days_ago=135,
        review_interval_days=180,
    ),
)
