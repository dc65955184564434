"""The demo knowledge base as data: teams, users, the ticket-category tree and the articles.

Nothing here touches the database; ``kb.demo.loader`` turns it into real rows through the services.
Article texts live in ``kb.demo.texts.*`` (one module per area) so this file stays readable.

Every article is a ``DemoArticle``: version 1 plus an ordered list of ``Revision``s. A revision is
expressed as edits to the previous body (exact ``(old, new)`` replacements, checked when loading, so
a typo in the demo fails loudly instead of producing an empty diff), optional appended text and
optional title/summary/category/tag changes. ``publish`` says whether and how the revision is
published, which is what makes history, diffs and material-change re-acknowledgment show something.
"""

from __future__ import annotations

from kb.demo.specs import JKT, LEGAL, MINORS, SG, DemoArticle, DemoCategory, DemoUser
from kb.demo.texts import account, legal, macros, money, multilingual, safety


def _pw(username: str) -> str:
    return f"{username}-demo-2026"


# The first four are the printed logins, one per role. rizal and farah can sign in too (to show team
# restrictions from another seat); the rest cannot: they fill teams for training and metrics, and
# skipping their password hashes (about 0.5 s each with PBKDF2) keeps `make run` quick.
USERS: tuple[DemoUser, ...] = (
    DemoUser("specialist", "specialist", (SG,), _pw("specialist"), "reads SOPs, records resolutions"),
    DemoUser("lead", "lead", (SG, MINORS), _pw("lead"), "writes and publishes SOPs, sees metrics"),
    DemoUser("trainer", "trainer", (SG, JKT), _pw("trainer"), "assigns reading, tracks progress"),
    DemoUser("admin", "admin", (SG, LEGAL), _pw("admin"), "users, roles, teams; Django admin"),
    DemoUser("rizal", "lead", (JKT, MINORS), _pw("rizal"), "second lead, Jakarta Live Safety"),
    DemoUser("amira", "specialist", (SG,), None),
    DemoUser("budi", "specialist", (SG,), None),
    DemoUser("chen", "specialist", (SG, LEGAL), None),
    DemoUser("hiro", "specialist", (SG,), None),
    DemoUser("dewi", "specialist", (JKT,), None),
    DemoUser("eko", "specialist", (JKT,), None),
    DemoUser("farah", "specialist", (JKT, MINORS), _pw("farah"), "specialist who sees the minor-safety SOP"),
    DemoUser("gita", "specialist", (JKT,), None),
)
ROLE_LOGINS: tuple[DemoUser, ...] = USERS[:4]

# ---------------------------------------------------------------------------------------------
# the ticketing system's category tree (parents before children)

CATEGORIES: tuple[DemoCategory, ...] = (
    DemoCategory("ACCOUNT", "Account", "Sign-in, security and account lifecycle."),
    DemoCategory("ACCOUNT.LOGIN", "Login", "Users who cannot sign in."),
    DemoCategory(
        "ACCOUNT.LOGIN.2FA", "Two-factor authentication", "Lost authenticator, backup codes, 2FA resets."
    ),
    DemoCategory(
        "ACCOUNT.LOGIN.PASSWORD", "Password reset", "Reset emails and SMS codes that do not arrive."
    ),
    DemoCategory(
        "ACCOUNT.HIJACK", "Hijacked account", "Someone else took over the account or changed its details."
    ),
    DemoCategory("ACCOUNT.DELETION", "Account deletion", "Requests to delete an account and its data."),
    DemoCategory("ACCOUNT.USERNAME", "Username change", "Changing or reclaiming a username."),
    DemoCategory("ACCOUNT.VERIFICATION", "Verified badge", "Requests for the verified badge."),
    DemoCategory(
        "ACCOUNT.AGE", "Age verification", "Age checks for gifting, payouts and age-gated features."
    ),
    DemoCategory("ACCOUNT.SUSPENSION", "Suspended account", "Appeals of account suspensions and bans."),
    DemoCategory("PAYOUTS", "Creator payouts", "Money creators earn from gifts, programmes and brand tools."),
    DemoCategory("PAYOUTS.DELAY", "Payout delayed", "Payouts late, on hold or under review."),
    DemoCategory("PAYOUTS.METHOD", "Payout method", "Adding, verifying and changing payout methods."),
    DemoCategory("PAYOUTS.TAX", "Tax forms", "W-9, W-8BEN and local tax information."),
    DemoCategory("PAYOUTS.CURRENCY", "Currency conversion", "Exchange rates and conversion fees."),
    DemoCategory("GIFTS", "Virtual gifts and coins", "Buying coins and sending gifts."),
    DemoCategory("GIFTS.REFUND", "Gift refund", "Refund requests for coins and gifts."),
    DemoCategory("GIFTS.CHARGEBACK", "Chargeback", "Card or app-store chargebacks on coin purchases."),
    DemoCategory("GIFTS.MISSING", "Coins not received", "Coins or gifts paid for but not delivered."),
    DemoCategory("CONTENT", "Content", "Posts, videos and what the Community Guidelines allow."),
    DemoCategory("CONTENT.REMOVAL", "Content removal", "Content taken down for a guideline violation."),
    DemoCategory(
        "CONTENT.REMOVAL.APPEAL", "Removal appeal", "Creators asking us to restore removed content."
    ),
    DemoCategory("CONTENT.STRIKES", "Guideline strikes", "Strikes, their expiry and their consequences."),
    DemoCategory("CONTENT.BRANDED", "Branded content", "Brand deals, paid partnerships and disclosure."),
    DemoCategory("LIVE", "Live streams", "Going live, gifting during live, live moderation."),
    DemoCategory("LIVE.BAN", "Live ban", "Temporary or permanent loss of live access."),
    DemoCategory("LIVE.QUALITY", "Stream quality", "Lag, dropped frames, audio out of sync."),
    DemoCategory(
        "LIVE.MODERATION", "Live moderator tools", "Creators' moderators, muted words, comment filters."
    ),
    DemoCategory("SAFETY", "Safety", "Reports about people and behaviour."),
    DemoCategory("SAFETY.HARASSMENT", "Harassment", "Bullying, threats and targeted abuse."),
    DemoCategory("SAFETY.IMPERSONATION", "Impersonation", "Accounts pretending to be someone else."),
    DemoCategory(
        "SAFETY.DOXXING", "Private information", "Addresses, phone numbers, IDs posted without consent."
    ),
    DemoCategory("SAFETY.MINORS", "Minor safety", "Any risk to a person under 18. Restricted procedures."),
    DemoCategory("SAFETY.SELF_HARM", "Self-harm", "Suicide, self-injury and eating-disorder content."),
    DemoCategory("SAFETY.SCAM", "Scams and phishing", "Fraud, fake giveaways, credential phishing."),
    DemoCategory("LEGAL", "Legal", "Requests with legal weight."),
    DemoCategory("LEGAL.COPYRIGHT", "Copyright", "DMCA and other copyright notices."),
    DemoCategory("LEGAL.COPYRIGHT.COUNTER", "Counter-notice", "Uploaders disputing a copyright takedown."),
    DemoCategory("LEGAL.LE_REQUEST", "Law-enforcement request", "Data requests from police and courts."),
    DemoCategory("SPAM", "Spam and bots", "Fake engagement, bot networks, comment spam."),
)


ARTICLES: tuple[DemoArticle, ...] = (
    *account.ARTICLES,
    *money.ARTICLES,
    *safety.ARTICLES,
    *legal.ARTICLES,
    *macros.ARTICLES,
    *multilingual.ARTICLES,
)
