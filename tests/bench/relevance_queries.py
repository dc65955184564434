# ruff: noqa: E501  (a data file: long article paths)
"""Relevance queries over the shared corpus (../shared/corpus), phrased like a specialist mid-ticket.

Each entry: (query, [source_path, …]) — any listed article counts as a right answer. Short,
paraphrased, some with typos, as typed while a user waits. Written from reading the articles,
not from kb's output; the held-out set checks the same numbers, so tune search in general.
"""

from __future__ import annotations

GH = "github-docs/content/"
TWOFA = GH + "authentication/securing-your-account-with-two-factor-authentication-2fa/"
SAFETY = GH + "communities/maintaining-your-safety-on-github/"
MOD = GH + "communities/moderating-comments-and-conversations/"
BILL = GH + "billing/managing-your-github-billing-settings/"
SPONS = GH + "sponsors/receiving-sponsorships-through-github-sponsors/"
POLICY = GH + "github/site-policy/"
SEC = GH + "authentication/keeping-your-account-and-data-secure/"
EMAIL = (
    GH + "account-and-profile/setting-up-and-managing-your-github-user-account/managing-email-preferences/"
)
ACCT = (
    GH
    + "account-and-profile/setting-up-and-managing-your-github-user-account/managing-user-account-settings/"
)
SYN = "synapse-docs/docs/"
YAG = "yagpdb-docs/content/docs/"
AUTHELIA = "authelia-docs/docs/content/"
CORAL = "coral-talk-docs/docs/docs/"

QUERIES: list[tuple[str, list[str]]] = [
    ("lost 2fa phone cant login", [TWOFA + "recovering-your-account-if-you-lose-your-2fa-credentials.md"]),
    (
        "recovery codes lost two factor",
        [
            TWOFA + "recovering-your-account-if-you-lose-your-2fa-credentials.md",
            TWOFA + "configuring-two-factor-authentication-recovery-methods.md",
        ],
    ),
    ("turn off 2fa", [TWOFA + "disabling-two-factor-authentication-for-your-personal-account.md"]),
    ("set up authenticator app", [TWOFA + "configuring-two-factor-authentication.md"]),
    ("sms 2fa country not supported", [TWOFA + "countries-where-sms-authentication-is-supported.md"]),
    (
        "change 2fa method to sms",
        [TWOFA + "changing-two-factor-authentication-delivery-methods-for-your-mobile-device.md"],
    ),
    (
        "org requires two factor",
        [
            GH
            + "organizations/keeping-your-organization-secure/requiring-two-factor-authentication-in-your-organization.md",
            GH
            + "organizations/keeping-your-organization-secure/preparing-to-require-two-factor-authentication-in-your-organization.md",
        ],
    ),
    (
        "which members have 2fa enabled",
        [
            GH
            + "organizations/keeping-your-organization-secure/viewing-whether-users-in-your-organization-have-2fa-enabled.md"
        ],
    ),
    ("report spam user", [SAFETY + "reporting-abuse-or-spam.md"]),
    ("report abuse", [SAFETY + "reporting-abuse-or-spam.md"]),
    ("block someone harassing me", [SAFETY + "blocking-a-user-from-your-personal-account.md"]),
    (
        "unblock user",
        [
            SAFETY + "unblocking-a-user-from-your-personal-account.md",
            SAFETY + "unblocking-a-user-from-your-organization.md",
        ],
    ),
    ("block user from organisation", [SAFETY + "blocking-a-user-from-your-organization.md"]),
    ("see who i blocked", [SAFETY + "viewing-users-youve-blocked-from-your-personal-account.md"]),
    ("lock conversation heated", [MOD + "locking-conversations.md"]),
    ("limit interactions repo", [MOD + "limiting-interactions-in-your-repository.md"]),
    ("hide disruptive coment", [MOD + "managing-disruptive-comments.md"]),
    ("comment edit history", [MOD + "tracking-changes-in-a-comment.md"]),
    ("card declined", [BILL + "troubleshooting-a-declined-credit-card-charge.md"]),
    ("account locked billing", [BILL + "unlocking-a-locked-account.md"]),
    ("redeem coupon code", [BILL + "redeeming-a-coupon.md"]),
    ("change billing email", [BILL + "setting-your-billing-email.md"]),
    ("remove credit card", [BILL + "removing-a-payment-method.md"]),
    (
        "download reciepts",
        [
            BILL + "viewing-your-payment-history-and-receipts.md",
            BILL + "adding-information-to-your-receipts.md",
        ],
    ),
    ("switch monthly to yearly billing", [BILL + "changing-the-duration-of-your-billing-cycle.md"]),
    (
        "downgrade plan",
        [GH + "billing/managing-billing-for-your-github-account/downgrading-your-github-subscription.md"],
    ),
    ("sponsor payout bank", [SPONS + "managing-your-payouts-from-github-sponsors.md"]),
    ("sponsors tax form", [SPONS + "tax-information-for-github-sponsors.md"]),
    ("unpublish sponsors profile", [SPONS + "unpublishing-your-github-sponsors-profile.md"]),
    (
        "cancel sponsorship",
        [
            GH + "billing/managing-billing-for-github-sponsors/downgrading-a-sponsorship.md",
            GH + "sponsors/sponsoring-open-source-contributors/managing-your-sponsorship.md",
        ],
    ),
    (
        "dmca takedown",
        [POLICY + "dmca-takedown-policy.md", POLICY + "guide-to-submitting-a-dmca-takedown-notice.md"],
    ),
    ("dmca counter notice", [POLICY + "guide-to-submitting-a-dmca-counter-notice.md"]),
    ("user died family request", [POLICY + "github-deceased-user-policy.md"]),
    ("username squatting", [POLICY + "github-username-policy.md"]),
    ("trademark complaint", [POLICY + "github-trademark-policy.md"]),
    ("doxxing private info removal", [POLICY + "github-private-information-removal-policy.md"]),
    ("police data request", [POLICY + "guidelines-for-legal-requests-of-user-data.md"]),
    ("goverment takedown", [POLICY + "github-government-takedown-policy.md"]),
    ("delete my account", [ACCT + "deleting-your-user-account.md"]),
    ("rename username", [ACCT + "changing-your-github-username.md"]),
    ("merge two accounts", [ACCT + "merging-multiple-user-accounts.md"]),
    ("forgot username", [EMAIL + "remembering-your-github-username-or-email.md"]),
    ("change primary email", [EMAIL + "changing-your-primary-email-address.md"]),
    ("backup email", [EMAIL + "setting-a-backup-email-address.md"]),
    (
        "contributions not showing",
        [
            GH
            + "account-and-profile/setting-up-and-managing-your-github-profile/managing-contribution-graphs-on-your-profile/why-are-my-contributions-not-showing-up-on-my-profile.md"
        ],
    ),
    ("strong password tips", [SEC + "creating-a-strong-password.md"]),
    ("security log", [SEC + "reviewing-your-security-log.md"]),
    ("revoke oauth app", [SEC + "reviewing-your-authorized-applications-oauth.md"]),
    ("token expired", [SEC + "token-expiration-and-revocation.md"]),
    ("sudo mode", [SEC + "sudo-mode.md"]),
    ("remove leaked password from repo", [SEC + "removing-sensitive-data-from-a-repository.md"]),
    (
        "download my data archive",
        [
            GH
            + "github/understanding-how-github-uses-and-protects-your-data/requesting-an-archive-of-your-personal-accounts-data.md"
        ],
    ),
    ("open a support ticket", [GH + "github/working-with-github-support/submitting-a-ticket.md"]),
    ("purge old room history", [SYN + "admin_api/purge_history_api.md"]),
    ("deactivate user synapse", [SYN + "admin_api/user_admin_api.md"]),
    ("registration token", [SYN + "usage/administration/admin_api/registration_tokens.md"]),
    ("captcha registration", [SYN + "CAPTCHA_SETUP.md"]),
    ("event reports api", [SYN + "admin_api/event_reports.md"]),
    ("message retention", [SYN + "message_retention_policies.md"]),
    ("server notice to users", [SYN + "server_notices.md", SYN + "admin_api/server_notices.md"]),
    ("recaptcha verify new members", [YAG + "moderation/verification.md"]),
    ("automod triggers", [YAG + "moderation/advanced-automoderator/triggers.md"]),
    ("discord mod log", [YAG + "moderation/logging.md"]),
    ("get channel id", [YAG + "reference/how-to-get-ids.md"]),
    (
        "too many login attempts banned",
        [
            AUTHELIA + "overview/authorization/regulation.md",
            AUTHELIA + "configuration/security/regulation.md",
        ],
    ),
    (
        "reset password email not arriving",
        [
            AUTHELIA + "configuration/identity-validation/reset-password.md",
            AUTHELIA + "configuration/notifications/smtp.md",
        ],
    ),
    ("gdpr download comments", [CORAL + "gdpr.md"]),
    ("sso login coral", [CORAL + "sso.md"]),
    ("why blocks public bluesky", ["bluesky-docs/blog/2023-06-08-block-implementation.md"]),
    (
        "rate limit pds",
        [
            "bluesky-docs/blog/2023-09-15-rate-limits-pds-v3/index.md",
            "bluesky-docs/docs/advanced-guides/rate-limits.md",
        ],
    ),
    ("restart nodebb", ["nodebb-docs/src/docs/faq.md", "nodebb-docs/src/docs/configuring/running.md"]),
    (
        "code of conduct enforcement",
        [
            "contributor-covenant/content/version/2/1/code_of_conduct.md",
            "contributor-covenant/content/version/2/0/code_of_conduct.md",
            "contributor-covenant/content/version/1/4/code-of-conduct.md",
        ],
    ),
]
