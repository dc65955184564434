# ruff: noqa: E501, S105  (article text: markdown table rows cannot wrap; *_PASSWORD names are article texts)
"""Demo articles: sign-in, account security and the account lifecycle."""

from __future__ import annotations

from kb.demo.specs import DemoArticle, Revision

HIJACK_V1 = """\
Use this SOP when a user says someone else took over their account: the email, phone number or
password changed without them, or posts, messages or purchases they did not make appear.

!!! warning "Never confirm account details to the requester"
    Do not tell the requester which email or phone number is now on the account. Hijackers often
    contact support pretending to be the victim. Ask them to tell you; never the reverse.

## Before you start

- [ ] The ticket is in category `ACCOUNT.HIJACK`
- [ ] You have the username or account ID, not just a display name
- [ ] The requester wrote from an email address or phone number you can check against the account history

## Steps

1. Open the account in the admin console and go to **Security > Change log**. Note every email,
   phone and password change in the last 30 days, with its IP country.
2. Compare the change log with what the requester tells you. Ask for the original sign-up email or
   phone, the approximate date they lost access, and the device they normally use.
3. If at least two of the three match the history, the requester is the owner. Otherwise send the
   macro *Reply: 2FA reset identity check requested* and set the ticket to pending.
4. Put the account in **Recovery hold**. This freezes sign-in, messages, live and gifting for 72 hours.
5. Restore the original email or phone from the change log. Do not type it by hand: use
   **Restore** next to the change entry so the audit trail links the two.
6. Send a password-reset link to the restored address. The link expires after 1 hour.
7. Remove any 2FA method the hijacker added (**Security > Two-factor**) and ask the owner to set
   2FA up again after signing in.
8. Release the recovery hold once the owner confirms they are back in.

## After recovery

Posts and messages the hijacker made stay on the account until the owner deletes them. Tell the
owner which ones you saw in the change log so they can check.

## Escalate when

- the account has more than 100,000 followers or a verified badge (to the SG Creator Support lead on shift);
- the hijacker sent gifts or bought coins with the owner's card (add category `GIFTS.CHARGEBACK`);
- the owner says they are being blackmailed or threatened (follow *Harassment and bullying report*).
"""

TWO_FA_V1 = """\
A 2FA reset removes the second factor from an account so the owner can sign in with their password
alone. It is the most abused support request we handle: treat every request as a possible takeover
attempt until the identity checks pass.

## Identity checks

Ask for the checks in this order and stop as soon as the account passes one.

| Check | How to verify | Passes when |
|---|---|---|
| Device history | **Security > Devices** lists a device the user describes (model, city) | Model and city match a device used in the last 90 days |
| Photo with note | The user sends a photo holding a note with their username and today's date | The face matches the profile's own videos |
| Government ID | Only for accounts with payouts enabled | The name matches the payout profile |

## Steps

1. Confirm the ticket comes from the email address on the account. If not, send
   *Reply: 2FA reset identity check requested* and stop.
2. Run the identity checks above.
3. When a check passes, open **Security > Two-factor** and click **Reset 2FA**. Choose the reason
   that matches the check that passed.
4. Tell the user to sign in and set up 2FA again. Recommend an authenticator app over SMS.
5. Close the ticket as solved and link this article.

## If the checks fail

Do not reset. Reply that we could not confirm ownership and offer to try again after 7 days.
Record the failed attempt in the ticket's internal note.

## Escalate when

- the user fails two checks in a row but insists: escalate to the team lead, never reset under pressure;
- the account has payouts enabled and the payout name does not match the ID;
- you see a password change within 24 hours before the 2FA request: treat it as a hijack and follow
  *Recover a hijacked account*.
"""

PASSWORD_RESET = """\
Most "the reset email never came" tickets are solved in a few minutes with the table below. Work
through it top to bottom before you escalate anything.

## Quick checks

- [ ] The user typed the address or phone number that is actually on the account (ask them to type it; never read it out)
- [ ] They waited at least 10 minutes and looked in spam, junk and "Promotions"
- [ ] They requested fewer than 5 resets in the last hour

## Symptoms and fixes

| Symptom | Likely cause | Fix |
|---|---|---|
| No email at all | Address has a typo or belongs to a different account | Ask for the username; check **Security > Contact** |
| Email arrives, link says "expired" | Links last 1 hour and only the newest one works | Request one new link and use it at once |
| "Too many attempts" | Rate limit: 5 requests per hour | Wait 60 minutes; do not request again meanwhile |
| Bounce in **Mail log** | Mailbox full or domain rejects us | Ask the user to free space or add a second address |

## Steps when the quick checks pass

1. Open **Mail log** for the account and find the last reset email.
2. If the status is *delivered*, the problem is on the user's side: walk them through spam filters
   and mail rules.
3. If the status is *bounced* or *deferred*, copy the bounce reason into the internal note and add
   an alternative contact through **Security > Contact > Add**.
4. Send a fresh reset link and stay on the ticket until the user confirms it worked.

!!! note "Phone-only accounts"
    Accounts created with a phone number and no email cannot receive reset emails. Use the SMS or
    voice-call code; if the user has lost the number, follow *Recover a hijacked account* steps 1–3
    to prove ownership first.

## Escalate when

- the mail log shows our provider rejecting a whole domain (post in #mail-incidents, then escalate);
- the user has proved ownership but every channel fails.
"""

DELETION = """\
Users may delete their own account at any time. Support never deletes an account on behalf of
someone who cannot prove they own it.

## What the user needs to know

- Deletion starts with **30 days of deactivation**. Signing in during that time cancels it.
- After 30 days the username, videos, comments, messages and coins are gone for good. Coins are not refunded.
- An unpaid creator balance above the payout minimum is paid out first; below the minimum it is lost.
- We keep some records (payment records, safety reports) as the law requires. Say so; do not list them.

## Steps

1. Check the request comes from the email or phone on the account. If not, ask the user to write
   from it, or to start deletion themselves in **Settings > Account > Delete account**.
2. Check **Payouts > Balance**. If it is above the minimum, tell the user and offer to wait until
   the next payout date.
3. Offer a data export first (**Settings > Privacy > Download your data**). It takes up to 48 hours.
4. Start deletion from the console (**Account > Lifecycle > Schedule deletion**) and paste the
   confirmation date into your reply.
5. Close the ticket as solved.

## Special cases

| Situation | What to do |
|---|---|
| A parent asks to delete a child's account | Ask for the account name only; if the user is under 13, follow the minor-safety procedure |
| The account holder has died | Offer memorialisation or deletion to verified next of kin; escalate to the lead |
| The account is under investigation or has a legal hold | Do not schedule; the console blocks it. Reply with *Reply: safety report received* wording and escalate |

## Escalate when

- the console refuses with "legal hold";
- the requester is not the account holder and claims authority (lawyer, employer, agent).
"""

USERNAME = """\
A username can change once every 30 days. The old name is held for 14 days so the creator can
switch back, then anyone may take it.

## Steps

1. Ask which new username the user wants and check it in **Account > Username > Check**.
2. If the console says *available*, tell the user to change it themselves in
   **Settings > Profile > Username**. Support does not change names for users who can sign in.
3. If it says *recently changed*, give the date the user may change it again.
4. If it says *reserved*, see the table below.

| Console answer | Meaning | Reply |
|---|---|---|
| available | Free to take | Tell the user how to change it themselves |
| held | Someone gave it up less than 14 days ago | Try again after the date shown |
| reserved | Brand, public figure or offensive term | We cannot release it; no exceptions at tier 1 |
| inactive | Belongs to an account with no sign-in for 2 years | Not released on request; no promises |

## Trademark claims

A company claiming a username for its trademark must send the trademark form, not a support
ticket. Reply with the form link and close the ticket. Never move a name from one account to
another yourself.

!!! warning "Impersonation risk"
    Creators with a verified badge lose the badge when they change their username and must request
    it again. Warn them before they change it.

## Escalate when

- the user's current username is itself a guideline violation (route to `CONTENT.REMOVAL`);
- a verified creator lost their name to a squatter within the 14-day hold.
"""

VERIFIED_BADGE = """\
The verified badge tells people an account is the authentic presence of the person or brand it
represents. It is not a reward for size and support cannot grant it.

## Criteria

| Criterion | What the reviewers look at |
|---|---|
| Authentic | The account belongs to the real person or organisation |
| Unique | One badge per person or brand (language accounts are the exception) |
| Notable | Coverage in several independent news sources, not paid or promotional |
| Active | Posted in the last 30 days; profile photo, bio and 2FA in place |

## Steps

1. Check the account has 2FA on and a complete profile. If not, list what is missing; the request
   form refuses incomplete accounts.
2. Send the user the request form link. Requests from support tickets are not forwarded.
3. Tell them reviews take up to 30 days and that a refusal can be re-submitted after 30 days.
4. Close the ticket as solved.

## What not to say

- Never give a follower count that "qualifies". There is none.
- Never confirm that a request is "in the queue" or likely to pass.
- Never suggest paying an agency: anyone offering a badge for money is a scam (see *Scam and phishing report*).

## Escalate when

- a verified account appears to be run by someone other than the person (follow *Impersonation report*);
- a government office or news organisation needs a badge for an emergency.
"""

AGE_VERIFICATION = """\
Some features need a minimum age: gifting and going live need 18, payouts need 18, sending
messages needs 16. When the birthday on file is below the limit, or when we suspect it is false,
the account must pass age verification.

## Methods

| Method | Where available | Result in |
|---|---|---|
| Selfie age estimation | Everywhere | Minutes |
| Government ID | Everywhere | Up to 48 hours |
| Credit card authorisation | US, UK, SG | Minutes |

## Steps

1. Open **Account > Age** and read the *reason* field: user request, feature gate or moderator flag.
2. Send the verification link from that page. Do not accept IDs or photos as ticket attachments.
3. When the result arrives the console updates the birthday and unlocks or locks features by itself.
4. Tell the user the outcome with the wording in the console; do not add your own judgement of
   their appearance or documents.

!!! danger "Under 13"
    If verification shows the user is under 13, the account is removed by policy. Do not message
    the user further from the ticket. Follow the *Minor-safety escalation* procedure, which is
    restricted to the Minor Safety Escalations team: hand the ticket to that queue.

## Appeals

A user who fails selfie estimation may try a government ID once. A second failure can only be
reviewed by the age-assurance team: escalate, do not re-run the check.

## Escalate when

- the user is 13–17 and the account has gifting or payouts enabled (lock first, then escalate);
- a parent contacts us about the account (never discuss the account with them beyond this procedure).
"""

SUSPENSION_APPEAL = """\
A suspended account cannot sign in. The user sees a notice with the reason and a link to appeal.
Most appeals arrive as tickets anyway; this is how to handle them.

## Steps

1. Find the enforcement in **Account > Enforcement**. Note the rule, the date and whether it was
   automated or a human decision.
2. Check the user gave an appeal reason. If not, ask for one with *Reply: appeal received*.
3. Submit the appeal in the enforcement record (**Appeal > Submit on behalf**) and paste the user's
   reason word for word. Do not summarise.
4. Reply with the expected time: 3 business days for automated suspensions, 7 for human decisions.
5. Set the ticket to pending. The appeal decision reopens it automatically.

## What decides the outcome

| Situation | Usual outcome |
|---|---|
| Automated suspension, no earlier strikes | Often restored |
| Third strike within 90 days | Upheld (see *Community Guidelines strikes explained*) |
| Severe violation (child safety, violent extremism, sale of illegal goods) | Upheld, no second appeal |
| Account sold or shared | Upheld |

## What never to do

- [ ] Do not restore an account yourself, even if the suspension looks wrong
- [ ] Do not reveal who reported the account
- [ ] Do not promise a result or a date earlier than the ones above

## Escalate when

- the appeal has waited longer than 10 business days;
- the user is a creator with pending payouts above 1,000 USD (payouts freeze during suspension);
- the suspension mentions a legal hold (escalate to the lead; never discuss it with the user).
"""

IDENTITY_POLICY = """\
This policy lists the evidence support may accept as proof that someone owns an account, and the
evidence it must never accept. Every SOP that asks for identity checks refers to it.

## Accepted evidence

| Evidence | Strength | Notes |
|---|---|---|
| Writing from the email or phone on the account | Medium | Combine with one more item |
| Matching device history (model and city) | Medium | Last 90 days only |
| Selfie video through the verification link | Strong | Compared with the profile's own videos |
| Government ID through the verification link | Strong | Payout accounts only; deleted after 30 days |
| Original sign-up email or phone from the change log | Strong | The requester must say it first |

## Never accepted

- Screenshots of IDs, cards or bank statements sent as attachments
- Knowledge of public profile details (bio, followers, video titles)
- Statements from friends, managers or agencies
- Anything sent from a different email address than the one on the account, on its own

## Rules

1. Two medium items, or one strong item, prove ownership.
2. The requester provides details; support only compares. Never read account details out.
3. Record what was checked in the internal note, never the evidence itself.
4. Evidence gathered for one request is not reused for another after 30 days.

## Escalate when

- evidence conflicts (for example, matching device history but a different face);
- the requester refuses the verification link and asks for an "exception".
"""

ARTICLES: tuple[DemoArticle, ...] = (
    DemoArticle(
        key="hijack-recovery",
        title="Recover a hijacked account",
        kind="sop",
        summary="Prove ownership, freeze the account, restore the original contact details and lock the hijacker out.",
        body=HIJACK_V1,
        categories=("ACCOUNT.HIJACK",),
        tags=("hijack", "account security", "recovery"),
        owner="lead",
        created_days_ago=210,
        revisions=(
            Revision(
                author="lead",
                note="Sign out every other session after the reset",
                days_ago=160,
                edits=(
                    (
                        "   2FA up again after signing in.\n8. Release",
                        "   2FA up again after signing in.\n8. Click **Sign out all sessions** so the hijacker's"
                        " devices lose access at once.\n9. Release",
                    ),
                ),
                publish="minor",
            ),
            Revision(
                author="rizal",
                note="Check payout methods changed during the hijack",
                days_ago=95,
                edits=(
                    (
                        "## After recovery\n\n",
                        "## After recovery\n\nCheck **Payouts > Methods**: hijackers often add their own bank"
                        " account before the owner notices. If a payout method was added or changed during"
                        " the hijack, remove it and put pending payouts on hold (see *Creator payout delayed"
                        " or on hold*).\n\n",
                    ),
                ),
                publish="material",
                publish_note="New step: payout methods. Everyone on account queues must re-read.",
            ),
            Revision(
                author="lead",
                note="Recovery hold is 48 hours since the console update; lower the escalation threshold",
                days_ago=30,
                edits=(
                    ("for 72 hours.", "for 48 hours."),
                    ("more than 100,000 followers", "more than 50,000 followers"),
                ),
                publish="minor",
            ),
        ),
    ),
    DemoArticle(
        key="2fa-reset",
        title="Reset two-factor authentication after identity checks",
        kind="sop",
        summary="Which identity checks to run, in which order, before removing a user's second factor.",
        body=TWO_FA_V1,
        categories=("ACCOUNT.LOGIN.2FA",),
        tags=("2fa", "identity", "account security"),
        owner="lead",
        created_days_ago=240,
        revisions=(
            Revision(
                author="lead",
                note="Ask for a backup code before any other check",
                days_ago=200,
                edits=(
                    (
                        "|---|---|---|\n",
                        "|---|---|---|\n| Backup code | Ask the user to try a backup code on the sign-in page"
                        " first | They sign in themselves: no reset needed |\n",
                    ),
                ),
                publish="material",
            ),
            Revision(
                author="rizal",
                note="Selfie video replaces the photo-with-note check",
                days_ago=120,
                edits=(
                    (
                        "| Photo with note | The user sends a photo holding a note with their username and"
                        " today's date | The face matches the profile's own videos |",
                        "| Selfie video | Send the verification link for a 5-second selfie video | The"
                        " reviewer marks it a match against the profile's own videos |",
                    ),
                    ("offer to try again after 7 days.", "offer the selfie video again after 7 days."),
                ),
                publish="material",
                publish_note="Photo-with-note is no longer accepted.",
            ),
            Revision(
                author="lead",
                note="Warn against ID screenshots sent as attachments",
                days_ago=45,
                edits=(
                    (
                        "\n## Steps\n",
                        '\n!!! warning "Never accept a screenshot of an ID sent as an attachment"\n'
                        "    Attachments skip the verification tool's liveness and tampering checks. Always"
                        " send the verification link.\n\n## Steps\n",
                    ),
                ),
                publish="minor",
            ),
            Revision(
                author="lead",
                note="Draft: passkeys count as a second factor",
                days_ago=3,
                edits=(
                    (
                        "Recommend an authenticator app over SMS.",
                        "Recommend a passkey or an authenticator app over SMS.",
                    ),
                ),
                append="""\
## Passkeys

Since the November app release, a passkey counts as a second factor. A user with a passkey on a
working device does not need a reset: ask them to choose **Sign in with passkey** first.
""",
                publish=None,
            ),
        ),
    ),
    DemoArticle(
        key="password-reset",
        title="Password reset email or SMS not arriving",
        kind="troubleshooting",
        summary="Symptoms, causes and fixes when a password reset link or code never reaches the user.",
        body=PASSWORD_RESET,
        categories=("ACCOUNT.LOGIN.PASSWORD",),
        tags=("password", "email", "sms"),
        owner="lead",
        created_days_ago=180,
        revisions=(
            Revision(
                author="lead",
                note="Add the voice-call fallback for carriers that filter short codes",
                days_ago=70,
                edits=(
                    (
                        "| Bounce in **Mail log**",
                        "| No SMS in Indonesia or Vietnam | Carrier filters short codes | Switch the user to"
                        " the voice-call code |\n| Bounce in **Mail log**",
                    ),
                ),
                publish="minor",
            ),
        ),
    ),
    DemoArticle(
        key="account-deletion",
        title="Account deletion request",
        kind="sop",
        summary="Deactivation period, balances, data export and the cases where support must not delete.",
        body=DELETION,
        categories=("ACCOUNT.DELETION",),
        tags=("deletion", "privacy", "gdpr"),
        owner="lead",
        created_days_ago=130,
    ),
    DemoArticle(
        key="username-change",
        title="Username change request",
        kind="troubleshooting",
        summary="Why a username cannot be taken, how long old names are held, and trademark claims.",
        body=USERNAME,
        categories=("ACCOUNT.USERNAME",),
        tags=("username", "profile"),
        owner="lead",
        created_days_ago=300,
        # Stale on purpose: its owner last reviewed it long ago (shows on the lead's stale list).
        reviewed_days_ago=131,
    ),
    DemoArticle(
        key="verified-badge",
        title="Verified badge request",
        kind="sop",
        summary="What the verified badge means, the criteria, and what support must never promise.",
        body=VERIFIED_BADGE,
        categories=("ACCOUNT.VERIFICATION",),
        tags=("verified", "creators"),
        owner="lead",
        created_days_ago=90,
    ),
    DemoArticle(
        key="age-verification",
        title="Age verification",
        kind="sop",
        summary="Age limits per feature, verification methods, and what to do when a user is under 13.",
        body=AGE_VERIFICATION,
        categories=("ACCOUNT.AGE",),
        tags=("age", "minors", "verification"),
        owner="rizal",
        created_days_ago=75,
    ),
    DemoArticle(
        key="suspended-appeal",
        title="Suspended account appeal",
        kind="sop",
        summary="Submitting an appeal for a suspended account, expected times, and usual outcomes.",
        body=SUSPENSION_APPEAL,
        categories=("ACCOUNT.SUSPENSION",),
        tags=("appeal", "suspension", "enforcement"),
        owner="rizal",
        created_days_ago=110,
    ),
    DemoArticle(
        key="identity-evidence-policy",
        title="Identity evidence we accept",
        kind="policy",
        summary="The evidence that proves account ownership, and the evidence support must never accept.",
        body=IDENTITY_POLICY,
        categories=("ACCOUNT",),
        tags=("identity", "policy", "account security"),
        owner="admin",
        created_days_ago=260,
        review_interval_days=180,
    ),
)
