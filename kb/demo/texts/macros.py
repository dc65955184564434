# ruff: noqa: E501  (article text: markdown table rows cannot wrap; *_PASSWORD names are article texts)
"""Demo macros: canned replies a specialist copies into a ticket (the whole body is the reply).

What a macro is for goes in its summary, so the body can be pasted as it is. Placeholders are in
braces, e.g. ``{creator_name}``.
"""

from __future__ import annotations

from kb.demo.specs import DemoArticle, Revision

PAYOUT_REVIEW = """\
Hi {creator_name},

Thank you for your patience. Your payout of {amount} is currently under review. Reviews are a
routine part of keeping creator earnings safe, and most finish well within the 45 days our policy allows.

You do not need to do anything right now. If we need more information from you, we will ask in the
app and by email. As soon as the review is complete, the payout is included in the next Monday run.

We know waiting for your earnings is frustrating, and we appreciate your understanding.

Best regards,

{agent_name}, Creator Support
"""

TWO_FA_CHECK = """\
Hi {username},

Thanks for reaching out about signing in to your account. To keep your account safe, we need to
confirm that you are its owner before we can change its security settings.

Please do the following:

1. Try a backup code on the sign-in page first. If it works, you do not need our help.
2. If you have no backup codes, open the secure verification link we just emailed you and record a
   short selfie video. It takes about a minute.

Please do not send photos of ID documents as attachments to this ticket: we cannot accept them, and
they are safer in the verification tool.

Once the check is complete, we will reply here within 24 hours.

Best regards,

{agent_name}, Account Support
"""

APPEAL_RECEIVED = """\
Hi {username},

Thank you for your appeal. We have submitted it to the review team with your explanation, word for word.

What happens next:

- A reviewer who was not involved in the original decision looks at the content and your explanation.
- You will get a notification in the app with the decision, usually within 3 days (7 days for some cases).
- If the decision is reversed, the content is restored and any related strike is removed.

Please do not submit the same appeal again: a new ticket does not speed it up.

Best regards,

{agent_name}
"""

REFUND_DENIED = """\
Hi {username},

Thanks for contacting us about your coin purchase from {purchase_date}.

Coins and gifts are final purchases. We can refund unused coins within 7 days of purchase, and we
return coins when a gift fails because of a technical fault we can confirm. Unfortunately this
purchase does not meet those conditions, so we are not able to refund it.

If you believe the purchase was made without your permission, reply to this message and we will
help you secure your account right away.

Best regards,

{agent_name}
"""

REPORT_RECEIVED = """\
Hi {username},

Thank you for your report. We take reports like this seriously, and a member of our safety team has
reviewed it.

We have taken action where the content or account broke our Community Guidelines. To protect
everyone's privacy, we do not share the details of actions taken against other accounts.

You can also protect yourself right away: block or restrict the account, turn on comment filters,
and limit who can message you in **Settings > Privacy**.

If you ever feel you are in immediate danger, please contact your local emergency services.

Best regards,

{agent_name}, Safety Team
"""

USERNAME_WAIT = """\
Hi {username},

Thanks for your message. Usernames can be changed once every 30 days, and your last change was on
{last_change}. You will be able to choose a new username from {next_date} in
**Settings > Profile > Username**.

Best regards,

{agent_name}
"""

ARTICLES: tuple[DemoArticle, ...] = (
    DemoArticle(
        key="macro-payout-review",
        title="Reply: payout under review",
        kind="macro",
        summary="Send when a payout shows On hold: review. Never add the reason for the review.",
        body=PAYOUT_REVIEW.replace("within the 45 days", "within the 30 days"),
        categories=("PAYOUTS.DELAY",),
        tags=("macro", "payouts"),
        owner="lead",
        created_days_ago=185,
        revisions=(
            Revision(
                author="admin",
                note="Review holds now last up to 45 days",
                days_ago=25,
                edits=(("within the 30 days", "within the 45 days"),),
                publish="minor",
            ),
        ),
    ),
    DemoArticle(
        key="macro-2fa-identity",
        title="Reply: 2FA reset identity check requested",
        kind="macro",
        summary="Send when someone asks for a 2FA reset and has not passed an identity check yet.",
        body=TWO_FA_CHECK,
        categories=("ACCOUNT.LOGIN.2FA",),
        tags=("macro", "2fa", "identity"),
        owner="lead",
        created_days_ago=118,
    ),
    DemoArticle(
        key="macro-appeal-received",
        title="Reply: appeal received",
        kind="macro",
        summary="Send after submitting a content-removal, live-ban or suspension appeal on the user's behalf.",
        body=APPEAL_RECEIVED,
        categories=("CONTENT.REMOVAL.APPEAL", "LIVE.BAN", "ACCOUNT.SUSPENSION"),
        tags=("macro", "appeal"),
        owner="rizal",
        created_days_ago=100,
    ),
    DemoArticle(
        key="macro-refund-denied",
        title="Reply: gift refund outside the window",
        kind="macro",
        summary="Send when a coin or gift refund request does not meet the refund conditions.",
        body=REFUND_DENIED,
        categories=("GIFTS.REFUND",),
        tags=("macro", "gifts", "refund"),
        owner="lead",
        created_days_ago=12,
    ),
    DemoArticle(
        key="macro-report-received",
        title="Reply: safety report received",
        kind="macro",
        summary="Send to the reporter after acting on a harassment, impersonation, scam or spam report.",
        body=REPORT_RECEIVED,
        categories=("SAFETY",),
        tags=("macro", "reports"),
        owner="rizal",
        created_days_ago=160,
    ),
    DemoArticle(
        key="macro-username-wait",
        title="Reply: username change not possible yet",
        kind="macro",
        summary="Draft: send when a user changed their username less than 30 days ago.",
        body=USERNAME_WAIT,
        categories=("ACCOUNT.USERNAME",),
        tags=("macro", "username"),
        owner="lead",
        created_days_ago=1,
        publish_v1=False,
        final="draft",
    ),
)
