# ruff: noqa: E501  (article text: markdown table rows cannot wrap; *_PASSWORD names are article texts)
"""Demo articles: safety reports, live streams and spam."""

from __future__ import annotations

from kb.demo.specs import MINORS, DemoArticle, Revision

HARASSMENT = """\
Harassment is behaviour aimed at a specific person to shame, frighten or silence them: insults,
threats, pile-ons, unwanted sexual comments, or content mocking someone's appearance, disability or
identity. Criticism of a creator's work is not harassment.

## Steps

1. Ask the reporter for links to the content or the usernames involved. A screenshot alone is not
   enough: we need something we can open.
2. Open each item in the moderation console and check it against the harassment policy.
3. Remove violating items with **Remove > Harassment**. The author gets a strike automatically.
4. If one account sent most of the items, check its last 30 days of comments for other targets.
5. Tell the reporter what we did in general terms. Never say which account was penalised or how.
6. Offer the reporter the protection tools: **Restrict**, **Block**, comment filters and
   limiting comments to followers.

"""

SEVERITY = """\
## Severity

| Signal | Severity | Action |
|---|---|---|
| One insulting comment | Low | Remove item |
| Repeated contact after a block | Medium | Remove items, 7-day comment ban for the author |
| Coordinated pile-on (many accounts, same hour) | High | Remove, escalate to the safety lead |
| Threat of violence | Critical | Escalate immediately (see below) |

"""

HARASSMENT_TAIL = """\
!!! danger "Credible threats"
    A threat naming a time, a place or a weapon is handled as an emergency. Escalate to the safety
    lead on shift at once, even outside business hours, and do not reply to the reporter until the
    lead has taken over.

## Escalate when

- a threat is credible (see the box above);
- the target is under 18 (route to `SAFETY.MINORS`);
- the harassment includes private information (follow *Remove private information (doxxing)*).
"""

HARASSMENT_V1 = HARASSMENT + HARASSMENT_TAIL

IMPERSONATION = """\
An impersonation report says an account pretends to be someone it is not: a creator, a brand, or
the reporter themselves. Parody and fan accounts are allowed if they say so clearly in the name or bio.

## Who may report

- The person or brand being impersonated, or their authorised representative
- Anyone, for impersonation of a verified account (we check it ourselves)

## Steps

1. Ask for the impersonating account's username and the real account's username.
2. For a non-verified person, the reporter must prove they are the real person: send the
   verification link (see *Identity evidence we accept*).
3. Compare the two accounts: profile photo, name, bio, posts copied from the real account.
4. If the account copies identity **and** does not label itself as fan or parody, remove it with
   **Remove > Impersonation**.
5. If it is labelled fan or parody but uses the real account's name as its username, ask the
   owner to rename it (**Warn > Misleading username**).
6. Reply to the reporter with the outcome in general terms.

## Checklist

- [ ] The reporter's identity was checked (or the real account is verified)
- [ ] Both usernames are in the ticket
- [ ] Fan or parody labels were looked for in name and bio

!!! tip "Scams ride on impersonation"
    Accounts impersonating creators often message fans promising prizes. If you see messages
    asking for payment or passwords, also follow *Scam and phishing report*.

## Escalate when

- the impersonated person is a public official or a journalist;
- the account impersonates our own staff or support team.
"""

DOXXING = """\
Private information is anything that lets someone find, contact or steal from a person: home
address, phone number, personal email, ID documents, bank details, a child's school, or precise
live location. Posting it without consent is removed whoever the target is.

!!! danger "Act first, investigate second"
    Remove or hide the information before anything else. Every minute it is up, it can be copied.

## Steps

1. Open the reported content and confirm it shows private information of a real person.
2. Remove it at once with **Remove > Private information**. For live streams, end the stream.
3. Search the console for the same text or image posted by other accounts in the last 24 hours
   (**Search > Exact match**) and remove those too.
4. If the author posted it to threaten or shame the target, apply the harassment steps as well.
5. Tell the reporter what was removed and suggest they report copies they find.

## What counts and what does not

| Example | Private? |
|---|---|
| A home address, even if it appears in a public record | Yes |
| The city someone lives in | No |
| A business address the business publishes | No |
| A photo of someone's ID or bank card | Yes |
| A screenshot of a DM showing a phone number | Yes, blur or remove |

## Escalate when

- the target is under 18 (route to the minor-safety queue);
- the post includes a threat (follow the critical path in *Harassment and bullying report*);
- the same information reappears after removal (ask the lead for a hash block).
"""

MINORS_ESCALATION = """\
This procedure is restricted to the Minor Safety Escalations team. It covers any report or
signal that a person under 18 is at risk of sexual exploitation, grooming or abuse.

!!! danger "Do not investigate on your own"
    Never download, copy, forward or screenshot the material. Never contact the suspected adult.
    Never tell the reporter what will happen to the other account.

## Steps

1. Set the ticket to **Restricted** so only this team can open it.
2. Preserve: click **Preserve evidence** on the account and on each item. This freezes it for
   legal retention without anyone downloading it.
3. Remove the content from public view with **Remove > Child safety**. The author's account is
   suspended automatically; do not add a message.
4. File the report to the national clearing house from the console (**Report > NCMEC**). Fill in
   every field you can see; leave the others empty rather than guessing.
5. If a child is in immediate danger, call the duty lawyer on the escalation rota before finishing
   the steps. They contact law enforcement.
6. Reply to the reporter with the fixed wording: "Thank you. We have taken action and reported the
   matter to the appropriate authorities."
7. Write the internal note: what you saw described in words, the time of each action, your name.

## Checklist

- [ ] Ticket restricted
- [ ] Evidence preserved before removal
- [ ] Clearing-house report filed with its reference in the note
- [ ] Duty lawyer called if a child is in immediate danger

"""

WELLBEING = """\
## Wellbeing

You may stop and hand over a case at any time. Book a wellbeing session after any case involving
imagery; it is paid time and does not need a reason.

"""

MINORS_TAIL = """\
## Escalate when

- always, to the duty lawyer, for imminent danger;
- to the team lead for any account with more than 10,000 followers or any staff involvement.
"""

MINORS_V1 = MINORS_ESCALATION + MINORS_TAIL

SELF_HARM = """\
Content or messages showing or announcing suicide or self-injury need a fast, kind response. Our
aim is to get the person help, not to punish them.

!!! danger "Imminent risk"
    If someone says they are about to hurt themselves, or is doing so on a live stream, escalate to
    the safety lead on shift at once by phone. The lead decides on contacting emergency services.

## Steps

1. Judge the risk from the content: imminent (a plan, a time, a live stream), at risk (talking
   about wanting to die), or recovery content (sharing a past experience to help others).
2. **Imminent**: escalate by phone now, then end the live stream with **End live > Safety**.
3. **At risk**: send the in-app resources card (**Safety > Send resources**) to the person. It opens
   the helpline list for their country.
4. Remove content that shows methods or injuries with **Remove > Self-harm**. No strike is given.
5. Leave recovery content up. Add the sensitive-content screen if it shows scars.
6. Reply to the reporter: thank them and tell them we have reached out with support resources.

## Helplines to share

| Country | Service | Contact |
|---|---|---|
| Singapore | Samaritans of Singapore (SOS) | 1767 (24 hours) |
| Indonesia | Layanan SEJIWA | 119 ext. 8 |
| Japan | Inochi no Denwa | 0570-783-556 |
| United States | 988 Suicide & Crisis Lifeline | Call or text 988 |
| Anywhere else | Find a Helpline | findahelpline.com |

## Look after yourself

This work is heavy. Take a break after an imminent-risk case and tell your lead; you may hand over
the next similar ticket.

## Escalate when

- the risk is imminent (always, by phone);
- the person is under 18 (also notify the minor-safety queue);
- content encourages others to self-harm (a challenge or a group): the lead opens an incident.
"""

SCAM = """\
Scams on the platform mostly impersonate creators or our own staff to get money, gift cards or
passwords. Reports arrive from victims and from people who saw the scam before falling for it.

## Common scams

| Scam | Tell-tale sign |
|---|---|
| Fake giveaway | "You won! Pay the shipping fee first" |
| Fake verification | "Pay 50 USD and we will get you the badge" |
| Fake support | A message from an account with "support" or "team" in its name asking for a code |
| Investment | Promises of fixed daily returns, moves the chat to another app |
| Coin generators | Sites promising free coins for your password |

## Steps

1. Ask for the scammer's username and, if the reporter was messaged, a link to the conversation.
2. Open the account. Scam accounts usually have few posts and many outgoing messages.
3. Remove it with **Remove > Scam**. Message links in the account's outbox are disabled automatically.
4. If the reporter gave their password or a 2FA code away, tell them to change the password now and
   follow *Recover a hijacked account* if they cannot sign in.
5. If they paid money, tell them to contact their bank or payment provider: we cannot recover
   payments made outside the platform.
6. Never ask the reporter to send the scammer's payment details to us.

!!! tip "Report the domain"
    If the scam uses a website, paste the domain into **Safety > Blocked links**. Links to it stop
    working everywhere on the platform within an hour.

## Escalate when

- more than 5 reports about the same scam in a day (the lead opens a campaign case);
- the scam uses our logo or pretends to be our staff.
"""

SPAM = """\
Spam is unwanted, repetitive or automated content: comment floods, fake followers, bot networks,
and links to sites selling likes. Single annoying comments are not spam; use block and filters.

## Steps

1. Collect the reported usernames. Ask the reporter for up to 10; more is not needed.
2. Open **Spam > Cluster** for one of them. The console groups accounts that share devices, IPs or
   text patterns.
3. If the cluster has more than 20 accounts, select it and click **Send to anti-spam**. Do not
   remove them one by one.
4. For smaller clusters, remove each account with **Remove > Spam** after a quick look at its
   profile: real people sometimes share networks (schools, offices).
5. For a creator flooded with bot followers they did not buy, click **Purge fake followers** on
   their account. It runs overnight.
6. Tell the reporter we acted and that fake follower counts update within 24 hours.

## Checklist

- [ ] Cluster checked before removing single accounts
- [ ] Real accounts in the cluster left alone
- [ ] Reporter told about the overnight purge

## Escalate when

- the spam contains malware or phishing links (also follow *Scam and phishing report*);
- a creator is accused of buying followers and disputes it.
"""

LIVE_BAN_APPEAL_V1 = """\
A live ban removes the ability to go live for 1, 7 or 30 days, or permanently. The creator can
still post videos. Appeals are reviewed by the Jakarta Live Safety team.

## Steps

1. Find the ban in **Live > Enforcement** and note the length, the rule and the clip that triggered it.
2. Watch the clip. Every ban has one; if it is missing, escalate as a tooling fault.
3. Check whether the appeal gives a reason: the creator's explanation of what happened.
4. Submit the appeal in the console with the creator's words.
5. Reply with *Reply: appeal received*. Live-ban appeals are decided within 24 hours.

## Decision guide for reviewers

| Situation | Decision |
|---|---|
| Clip shows no violation | Lift the ban |
| A guest, not the creator, violated the rules | Shorten to 1 day, remind about guest controls |
| Dangerous act, first time | Uphold 7 days |
| Sexual content or violence | Uphold |

## Escalate when

- a permanent ban is appealed by a creator in the partner programme;
- the creator is under 18 (live needs 18: do not lift, route to age verification).
"""

LIVE_LAG = """\
Lag, freezing and audio out of sync are almost always caused by the creator's connection or
device, not by our servers. Work through the checks with the creator before you escalate.

## Checks

1. Ask for the stream's date and time. Open **Live > Sessions** and read the *ingest health* graph.
2. If the graph shows dropped frames on our side (red), check #live-incidents; if there is no
   incident, escalate.
3. If the upload bitrate dips below 2 Mbps, the connection is the cause. Ask the creator to:
   - switch from mobile data to Wi-Fi, or move closer to the router;
   - close other apps that upload (cloud photo backup, video calls);
   - lower the stream quality to 720p in **Live > Settings**.
4. If the device heats up or the battery saver is on, frame rate drops: ask them to plug in and
   turn battery saver off.
5. For audio out of sync with external microphones, set **Audio delay** to match the microphone.

## Recommended setup

| Quality | Upload needed | Device |
|---|---|---|
| 720p 30 fps | 3 Mbps | Any supported phone |
| 1080p 30 fps | 6 Mbps | Phone from the last 3 years, plugged in |
| 1080p 60 fps | 10 Mbps | Desktop streaming software |

## Escalate when

- ingest health is red on our side with no incident posted;
- several creators in one region report lag in the same hour.
"""

ESCALATION_TIERS = """\
This policy sets how fast each kind of ticket must get a first response and who handles it when
tier 1 cannot. Every SOP's "Escalate when" section points into this table.

## Response targets

| Priority | Examples | First response | Who |
|---|---|---|---|
| P0 emergency | Imminent self-harm, child in danger, credible threat | 15 minutes, around the clock | Safety lead on shift, by phone |
| P1 urgent | Hijacked verified account, doxxing, live incident | 1 hour | Team lead |
| P2 normal | Payout holds, appeals, reports | 24 hours | Tier 1 specialist |
| P3 low | Username questions, feature questions | 72 hours | Tier 1 specialist |

## Rules

1. When in doubt between two priorities, choose the higher one.
2. P0 cases are escalated by phone first and written up afterwards.
3. An escalated ticket keeps its owner until the lead confirms the hand-over in the ticket.
4. Restricted procedures (minor safety, law-enforcement requests) go to their team's queue; do not
   describe the case in public channels.

## Shift leads

The lead on shift is shown in the helpdesk header. Outside business hours the safety lead rota
covers P0 and P1 for every team.
"""

ARTICLES: tuple[DemoArticle, ...] = (
    DemoArticle(
        key="harassment-report",
        title="Harassment and bullying report",
        kind="sop",
        summary="Assess a harassment report, remove violating content and protect the person targeted.",
        body=HARASSMENT_V1,
        categories=("SAFETY.HARASSMENT",),
        tags=("harassment", "reports", "threats"),
        owner="rizal",
        created_days_ago=170,
        revisions=(
            Revision(
                author="rizal",
                note="Add the severity table",
                days_ago=80,
                edits=(('!!! danger "Credible threats"', SEVERITY + '!!! danger "Credible threats"'),),
                publish="minor",
                summary="Assess a harassment report by severity, remove violating content and protect the"
                " person targeted.",
            ),
        ),
    ),
    DemoArticle(
        key="impersonation-report",
        title="Impersonation report",
        kind="sop",
        summary="Decide whether an account impersonates someone, and what to do about fan and parody accounts.",
        body=IMPERSONATION,
        categories=("SAFETY.IMPERSONATION",),
        tags=("impersonation", "reports", "verified"),
        owner="lead",
        created_days_ago=140,
    ),
    DemoArticle(
        key="doxxing-removal",
        title="Remove private information (doxxing)",
        kind="sop",
        summary="Remove home addresses, phone numbers and IDs posted without consent, and their copies.",
        body=DOXXING,
        categories=("SAFETY.DOXXING",),
        tags=("doxxing", "privacy", "reports"),
        owner="rizal",
        created_days_ago=120,
    ),
    DemoArticle(
        key="minor-safety-escalation",
        title="Minor-safety escalation",
        kind="sop",
        summary="Restricted: preserve, remove, report to the clearing house and call the duty lawyer.",
        body=MINORS_V1,
        categories=("SAFETY.MINORS",),
        tags=("minors", "escalation", "restricted"),
        owner="rizal",
        teams=(MINORS,),
        created_days_ago=200,
        revisions=(
            Revision(
                author="lead",
                note="Add the wellbeing section",
                days_ago=90,
                edits=(("## Escalate when", WELLBEING + "## Escalate when"),),
                publish="minor",
                summary="Restricted: preserve, remove, report to the clearing house and call the duty"
                " lawyer; then look after yourself.",
            ),
        ),
    ),
    DemoArticle(
        key="self-harm-escalation",
        title="Self-harm and suicide content escalation",
        kind="sop",
        summary="Judge the risk, escalate imminent cases by phone, send resources, and leave recovery content up.",
        body=SELF_HARM,
        categories=("SAFETY.SELF_HARM",),
        tags=("self-harm", "suicide", "escalation", "wellbeing"),
        owner="rizal",
        created_days_ago=180,
        review_interval_days=60,
    ),
    DemoArticle(
        key="scam-report",
        title="Scam and phishing report",
        kind="sop",
        summary="Recognise common scams, remove scam accounts and block their links.",
        body=SCAM,
        categories=("SAFETY.SCAM",),
        tags=("scam", "phishing", "fraud"),
        owner="lead",
        created_days_ago=95,
    ),
    DemoArticle(
        key="spam-report",
        title="Spam and bot account report",
        kind="sop",
        summary="Use the cluster view to remove bot networks without hitting real people.",
        body=SPAM,
        categories=("SPAM",),
        tags=("spam", "bots", "fake followers"),
        owner="rizal",
        created_days_ago=65,
    ),
    DemoArticle(
        key="live-ban-appeal",
        title="Live-stream ban appeal",
        kind="sop",
        summary="Submit a live-ban appeal and the decision guide reviewers follow.",
        body=LIVE_BAN_APPEAL_V1,
        categories=("LIVE.BAN",),
        tags=("live", "appeal", "enforcement"),
        owner="rizal",
        created_days_ago=150,
        revisions=(
            Revision(
                author="rizal",
                note="Guests can now be removed mid-stream: add the guest-controls reminder",
                days_ago=2,
                edits=(
                    (
                        "| Shorten to 1 day, remind about guest controls |",
                        "| Shorten to 1 day; send the guest-controls guide (remove a guest with one tap) |",
                    ),
                    (
                        "Live-ban appeals are decided within 24 hours.",
                        "Live-ban appeals are decided within 24 hours; 1-day bans usually expire first, so"
                        " tell the creator the ban ends on its own.",
                    ),
                ),
                publish=None,
            ),
        ),
        final="in_review",
    ),
    DemoArticle(
        key="live-lag",
        title="Live-stream lag and dropped frames",
        kind="troubleshooting",
        summary="Read the ingest health graph and fix the creator's connection or device.",
        body=LIVE_LAG,
        categories=("LIVE.QUALITY",),
        tags=("live", "lag", "streaming"),
        owner="rizal",
        created_days_ago=250,
        review_interval_days=60,
        # Stale on purpose: streaming settings change often; its review is overdue.
        reviewed_days_ago=97,
    ),
    DemoArticle(
        key="escalation-tiers",
        title="Escalation tiers and response times",
        kind="policy",
        summary="First-response targets per priority and who takes over when tier 1 cannot.",
        body=ESCALATION_TIERS,
        categories=("SAFETY",),
        tags=("escalation", "policy", "sla"),
        owner="admin",
        created_days_ago=280,
        review_interval_days=180,
    ),
)
