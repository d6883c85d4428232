//! The council's own texts (ADM-1): the wording of every email the portal
//! sends, each stage's "Extra Information", the accessibility statement's
//! council-specific parts and the SEND team's contact details. Each text has a
//! stable dotted key ("email.<kind>.subject", "stage.<code>.extra_information",
//! "accessibility.<part>", "contact.<field>"); the portal ships a default for
//! every key, and what the council saves replaces it until it is restored.

use std::collections::BTreeMap;
use std::fmt;

use crate::email::Email;

/// A text the council saved in place of the shipped default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilText {
    /// The text's dotted key.
    pub key: String,
    /// The council's wording, with its `((placeholders))`.
    pub value: String,
}

/// How families reach the SEND team: shown on the start page, in every email,
/// on the 404 page and in the accessibility statement. The settings
/// (`SEND_PORTAL_SEND_TEAM_PHONE`, `SEND_PORTAL_SEND_TEAM_EMAIL`, and the
/// optional address and opening hours) give it; an administrator may change
/// each part in Texts and settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendTeamContact {
    pub phone: String,
    pub email: String,
    /// A postal address, on one line or several.
    pub address: Option<String>,
    /// When the telephone line is open, such as "Monday to Friday, 9am to 5pm".
    pub hours: Option<String>,
}

/// Why contact details were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    #[error("the SEND team's telephone number is empty")]
    NoPhone,
    #[error("the SEND team's email address is not an email address")]
    BadEmail,
}

impl SendTeamContact {
    /// Checks the parts as given: a telephone number and an email address; an
    /// empty address or opening hours is none.
    pub fn parse(
        phone: &str,
        email: &str,
        address: Option<&str>,
        hours: Option<&str>,
    ) -> Result<Self, ContactError> {
        let phone = phone.trim();
        if phone.is_empty() {
            return Err(ContactError::NoPhone);
        }
        let email = Email::parse(email).map_err(|_| ContactError::BadEmail)?;
        let optional = |value: Option<&str>| {
            value
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        Ok(Self {
            phone: phone.to_owned(),
            email: email.as_str().to_owned(),
            address: optional(address),
            hours: optional(hours),
        })
    }

    /// One sentence for an email: "Telephone 0300 123 4567 (Monday to Friday,
    /// 9am to 5pm) or email send@example.gov.uk."
    pub fn sentence(&self) -> String {
        let hours = self
            .hours
            .as_ref()
            .map(|h| format!(" ({h})"))
            .unwrap_or_default();
        let mut out = format!("telephone {}{hours} or email {}", self.phone, self.email);
        if let Some(address) = &self.address {
            out.push_str(", or write to ");
            out.push_str(&address.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        out
    }
}

/// Where a text is used, which the Texts and settings page groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TextGroup {
    Contact,
    Email,
    Stage,
    Accessibility,
}

impl TextGroup {
    pub fn heading(self) -> &'static str {
        match self {
            Self::Contact => "The SEND team's contact details",
            Self::Email => "Emails",
            Self::Stage => "Extra Information on the SEND Dashboard",
            Self::Accessibility => "Accessibility statement",
        }
    }
}

/// One text the council may change: its key, what it is, its shipped default
/// (`None` for the contact details, whose defaults are the settings) and the
/// placeholders it may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextSpec {
    pub key: &'static str,
    pub group: TextGroup,
    pub label: &'static str,
    pub hint: &'static str,
    pub default: Option<&'static str>,
    pub placeholders: &'static [&'static str],
    /// A subject or contact detail: one line.
    pub one_line: bool,
    /// The text may be left empty (an optional contact detail).
    pub optional: bool,
    pub max_chars: usize,
    /// Placeholders the text must use: an email without its link or code is
    /// of no use to the person it is sent to.
    pub required: &'static [&'static str],
}

const REFERENCE_CODE_PLACEHOLDERS: &[&str] = &["council_name", "code", "contact"];

/// An email's subject line.
const fn email_subject(
    key: &'static str,
    label: &'static str,
    hint: &'static str,
    default: &'static str,
    placeholders: &'static [&'static str],
) -> TextSpec {
    TextSpec {
        key,
        group: TextGroup::Email,
        label,
        hint,
        default: Some(default),
        placeholders,
        one_line: true,
        optional: false,
        max_chars: 100,
        required: &[],
    }
}

/// An email's text, in paragraphs, which must use each of `required`.
const fn email_body(
    key: &'static str,
    label: &'static str,
    hint: &'static str,
    default: &'static str,
    placeholders: &'static [&'static str],
    required: &'static [&'static str],
) -> TextSpec {
    TextSpec {
        key,
        group: TextGroup::Email,
        label,
        hint,
        default: Some(default),
        placeholders,
        one_line: false,
        optional: false,
        max_chars: 2000,
        required,
    }
}

const STAFF_SETUP_PLACEHOLDERS: &[&str] = &["council_name", "contact", "role", "link"];
const MESSAGE_NOTICE_PLACEHOLDERS: &[&str] = &["council_name", "contact", "child_name", "link"];
const ADVICE_REMINDER_PLACEHOLDERS: &[&str] = &[
    "council_name",
    "contact",
    "advice_kind",
    "sent_date",
    "due_date",
    "days",
    "how_to_answer",
];
const ADVICE_REQUEST_PLACEHOLDERS: &[&str] = &[
    "council_name",
    "contact",
    "advice_kind",
    "due_date",
    "how_to_answer",
];
const INVITATION_LINK_PLACEHOLDERS: &[&str] = &["council_name", "contact", "link", "expiry_date"];
const CHILD_LINK_ACCEPTED_PLACEHOLDERS: &[&str] =
    &["council_name", "contact", "child_full_name", "link"];
const CHILD_LINK_DECLINED_PLACEHOLDERS: &[&str] =
    &["council_name", "contact", "child_full_name", "reason"];
const FORM_REJECTED_PLACEHOLDERS: &[&str] = &[
    "council_name",
    "contact",
    "form_title",
    "reference",
    "reason",
];
const ASSESSMENT_REQUEST_PLACEHOLDERS: &[&str] =
    &["council_name", "contact", "reference", "received_date"];
const INVITATION_ANSWER_PLACEHOLDERS: &[&str] = &["council_name", "contact", "child_name", "link"];
const ACCOUNT_PLACEHOLDERS: &[&str] = &["council_name", "contact"];
const ACCOUNT_LINK_PLACEHOLDERS: &[&str] = &["council_name", "contact", "link"];
const CASEWORKER_ADVICE_PLACEHOLDERS: &[&str] =
    &["council_name", "contact", "advice", "due_date", "link"];
const CODE_PLACEHOLDERS: &[&str] = &["council_name", "contact", "code"];
const FORM_RECEIPT_PLACEHOLDERS: &[&str] = &[
    "council_name",
    "contact",
    "form_title",
    "about_child",
    "reference",
];

/// Every text the council may change, in the order the page lists them.
pub const CATALOGUE: &[TextSpec] = &[
    TextSpec {
        key: "contact.phone",
        group: TextGroup::Contact,
        label: "Telephone number",
        hint: "Shown on the start page, in every email, on the page-not-found page and in the \
               accessibility statement",
        default: None,
        placeholders: &[],
        one_line: true,
        optional: false,
        max_chars: 40,
        required: &[],
    },
    TextSpec {
        key: "contact.email",
        group: TextGroup::Contact,
        label: "Email address",
        hint: "Where families write to the SEND team",
        default: None,
        placeholders: &[],
        one_line: true,
        optional: false,
        max_chars: 254,
        required: &[],
    },
    TextSpec {
        key: "contact.hours",
        group: TextGroup::Contact,
        label: "Opening hours",
        hint: "For example, Monday to Friday, 9am to 5pm",
        default: None,
        placeholders: &[],
        one_line: true,
        optional: true,
        max_chars: 100,
        required: &[],
    },
    TextSpec {
        key: "contact.address",
        group: TextGroup::Contact,
        label: "Postal address",
        hint: "Optional",
        default: None,
        placeholders: &[],
        one_line: false,
        optional: true,
        max_chars: 300,
        required: &[],
    },
    TextSpec {
        key: "contact.reply_time",
        group: TextGroup::Contact,
        label: "When the SEND team aims to reply to a message",
        hint: "Shown to the sender of a message, after \u{201c}The SEND team aims to \
               reply\u{201d}. For example, within 5 working days",
        default: Some("within 5 working days"),
        placeholders: &[],
        one_line: true,
        optional: false,
        max_chars: 100,
        required: &[],
    },
    TextSpec {
        key: "email.reference_code.subject",
        group: TextGroup::Email,
        label: "Reference code email: subject",
        hint: "Sent when the SEND team invites someone to the portal",
        default: Some("Your reference code for the ((council_name)) SEND Portal"),
        placeholders: REFERENCE_CODE_PLACEHOLDERS,
        one_line: true,
        optional: false,
        max_chars: 100,
        required: &[],
    },
    TextSpec {
        key: "email.reference_code.body",
        group: TextGroup::Email,
        label: "Reference code email: text",
        hint: "Sent when the SEND team invites someone to the portal. Leave a blank line \
               between paragraphs",
        default: Some(
            "The SEND team at ((council_name)) would like to invite you to the SEND Portal, \
             where you can follow the Education, Health and Care process, send and receive \
             messages, and see letters and plans.\n\n\
             Your reference code is ((code))\n\n\
             First we need to check who you are. Please contact the SEND team and quote this \
             code: ((contact)). They will ask you a few questions, then send you an email \
             called \u{2018}Accept Portal Invitation\u{2019} with a link to set up your \
             account.\n\n\
             Do not share this code with anyone else. If you were not expecting this email, \
             you can ignore it, or call the SEND team on the number above to check it came \
             from us.",
        ),
        placeholders: REFERENCE_CODE_PLACEHOLDERS,
        one_line: false,
        optional: false,
        max_chars: 2000,
        required: &["code"],
    },
    email_subject(
        "email.staff_setup.subject",
        "Staff set-up email: subject",
        "Sent when an administrator adds a member of staff",
        "Set up your SEND Portal back-office account",
        STAFF_SETUP_PLACEHOLDERS,
    ),
    email_body(
        "email.staff_setup.body",
        "Staff set-up email: text",
        "Sent when an administrator adds a member of staff. It must give ((link)), the \
         set-up link. Leave a blank line between paragraphs",
        "You have been given a back-office account for the ((council_name)) SEND Portal, as a \
         ((role)).\n\n\
         Use this link to choose a password and set up the authenticator app you will sign in \
         with:\n\n\
         ((link))\n\n\
         The link works once, for 24 hours. If you were not expecting this, tell your portal \
         administrator.",
        STAFF_SETUP_PLACEHOLDERS,
        &["link"],
    ),
    email_subject(
        "email.password_reset.subject",
        "Password reset email: subject",
        "Sent when someone asks to reset their password",
        "Reset your SEND Portal password",
        ACCOUNT_LINK_PLACEHOLDERS,
    ),
    email_body(
        "email.password_reset.body",
        "Password reset email: text",
        "Sent when someone asks to reset their password. It must give ((link)), the reset \
         link. Leave a blank line between paragraphs",
        "You asked to reset your SEND Portal password. Use this link to choose a new \
         one:\n\n\
         ((link))\n\n\
         The link works once, for 30 minutes.\n\n\
         If you did not ask for this, you can ignore this email: your password has not \
         changed.",
        ACCOUNT_LINK_PLACEHOLDERS,
        &["link"],
    ),
    email_subject(
        "email.password_changed.subject",
        "Password changed email: subject",
        "Sent when someone\u{2019}s password is changed",
        "Your SEND Portal password has been changed",
        ACCOUNT_PLACEHOLDERS,
    ),
    email_body(
        "email.password_changed.body",
        "Password changed email: text",
        "Sent when someone\u{2019}s password is changed. Leave a blank line between paragraphs",
        "The password for your SEND Portal account has just been changed, and you have been \
         signed out everywhere else.\n\n\
         If you did not do this, reset your password straight away with \u{2018}Forgotten \
         password\u{2019} on the sign in page, and contact the SEND team.",
        ACCOUNT_PLACEHOLDERS,
        &[],
    ),
    email_subject(
        "email.email_changed.subject",
        "Email address changed email: subject",
        "Sent to the old address when someone changes their email address",
        "Your SEND Portal email address has been changed",
        ACCOUNT_PLACEHOLDERS,
    ),
    email_body(
        "email.email_changed.body",
        "Email address changed email: text",
        "Sent to the old address when someone changes their email address. Leave a blank line \
         between paragraphs",
        "The email address for your SEND Portal account has been changed. Emails from the \
         portal will go to the new address from now on.\n\n\
         If you did not do this, contact the SEND team straight away.",
        ACCOUNT_PLACEHOLDERS,
        &[],
    ),
    email_subject(
        "email.authenticator_set_up.subject",
        "Authenticator app set up email: subject",
        "Sent when someone sets up an authenticator app for signing in",
        "You now sign in to the SEND Portal with an authenticator app",
        ACCOUNT_PLACEHOLDERS,
    ),
    email_body(
        "email.authenticator_set_up.body",
        "Authenticator app set up email: text",
        "Sent when someone sets up an authenticator app for signing in. Leave a blank line \
         between paragraphs",
        "You set up an authenticator app for signing in to the SEND Portal. From now on you \
         will enter a code from the app instead of a code sent by email.\n\n\
         If you did not do this, contact the SEND team straight away.",
        ACCOUNT_PLACEHOLDERS,
        &[],
    ),
    email_subject(
        "email.already_registered.subject",
        "Already registered email: subject",
        "Sent when someone tries to register with the email address of an existing account",
        "You already have a SEND Portal account",
        ACCOUNT_LINK_PLACEHOLDERS,
    ),
    email_body(
        "email.already_registered.body",
        "Already registered email: text",
        "Sent when someone tries to register with the email address of an existing account. It \
         must give ((link)), where to sign in. Leave a blank line between paragraphs",
        "Someone, perhaps you, tried to register for the SEND Portal with this email address. \
         You already have an account, so no new account was made.\n\n\
         To sign in, go to ((link))\n\n\
         If you have forgotten your password, select \u{2018}Forgotten password\u{2019} on the \
         sign in page.\n\n\
         If this was not you, you can ignore this email.",
        ACCOUNT_LINK_PLACEHOLDERS,
        &["link"],
    ),
    email_subject(
        "email.message_notice.subject",
        "New message email: subject",
        "Sent to families and professionals when they have a new message",
        "You have a new message about ((child_name)) in the SEND Portal",
        MESSAGE_NOTICE_PLACEHOLDERS,
    ),
    email_body(
        "email.message_notice.body",
        "New message email: text",
        "Sent to families and professionals when they have a new message. It must give \
         ((link)), where to read it; the message itself is never sent by email. Leave a blank \
         line between paragraphs",
        "You have a new message about ((child_name)) in the SEND Portal.\n\n\
         Sign in to read it: ((link))\n\n\
         For your privacy we do not put messages in emails. You can turn these emails off in \
         My Account.",
        MESSAGE_NOTICE_PLACEHOLDERS,
        &["link"],
    ),
    email_subject(
        "email.advice_due_soon.subject",
        "Advice due soon email: subject",
        "Sent to a professional a few days before their advice is due",
        "Reminder: advice is due soon",
        ADVICE_REMINDER_PLACEHOLDERS,
    ),
    email_body(
        "email.advice_due_soon.body",
        "Advice due soon email: text",
        "Sent to a professional a few days before their advice is due. It must give \
         ((how_to_answer)), which says where to give the advice (with their link). Leave a \
         blank line between paragraphs",
        "The ((advice_kind)) ((council_name)) asked you for on ((sent_date)) is due in \
         ((days)) days, by ((due_date)).\n\n\
         ((how_to_answer))",
        ADVICE_REMINDER_PLACEHOLDERS,
        &["how_to_answer"],
    ),
    email_subject(
        "email.advice_due_today.subject",
        "Advice due today email: subject",
        "Sent to a professional on the day their advice is due",
        "Reminder: advice is due today",
        ADVICE_REMINDER_PLACEHOLDERS,
    ),
    email_body(
        "email.advice_due_today.body",
        "Advice due today email: text",
        "Sent to a professional on the day their advice is due. It must give \
         ((how_to_answer)), which says where to give the advice (with their link). Leave a \
         blank line between paragraphs",
        "The ((advice_kind)) ((council_name)) asked you for on ((sent_date)) is due today, \
         ((due_date)).\n\n\
         ((how_to_answer))",
        ADVICE_REMINDER_PLACEHOLDERS,
        &["how_to_answer"],
    ),
    email_subject(
        "email.advice_overdue.subject",
        "Advice overdue email: subject",
        "Sent to a professional when their advice is late",
        "Advice is overdue",
        ADVICE_REMINDER_PLACEHOLDERS,
    ),
    email_body(
        "email.advice_overdue.body",
        "Advice overdue email: text",
        "Sent to a professional when their advice is late. It must give ((how_to_answer)), \
         which says where to give the advice (with their link). Leave a blank line between \
         paragraphs",
        "The ((advice_kind)) ((council_name)) asked you for on ((sent_date)) was due on \
         ((due_date)) and has not arrived yet.\n\n\
         ((how_to_answer))",
        ADVICE_REMINDER_PLACEHOLDERS,
        &["how_to_answer"],
    ),
    email_subject(
        "email.advice_arrived.subject",
        "Advice arrived email to the caseworker: subject",
        "Sent to the caseworker when advice they asked for arrives",
        "Advice has arrived",
        CASEWORKER_ADVICE_PLACEHOLDERS,
    ),
    email_body(
        "email.advice_arrived.body",
        "Advice arrived email to the caseworker: text",
        "Sent to the caseworker when advice they asked for arrives. It must give ((link)), \
         the involvement in the back office. Leave a blank line between paragraphs",
        "((advice)) has arrived for one of your cases.\n\n\
         See the involvement in the back office: ((link))",
        CASEWORKER_ADVICE_PLACEHOLDERS,
        &["link"],
    ),
    email_subject(
        "email.advice_overdue_caseworker.subject",
        "Advice overdue email to the caseworker: subject",
        "Sent to the caseworker when advice they asked for is late",
        "Advice is overdue on one of your cases",
        CASEWORKER_ADVICE_PLACEHOLDERS,
    ),
    email_body(
        "email.advice_overdue_caseworker.body",
        "Advice overdue email to the caseworker: text",
        "Sent to the caseworker when advice they asked for is late. It must give ((link)), the \
         involvement in the back office. Leave a blank line between paragraphs",
        "((advice)) was due on ((due_date)) and has not arrived.\n\n\
         See the involvement in the back office: ((link))",
        CASEWORKER_ADVICE_PLACEHOLDERS,
        &["link"],
    ),
    email_subject(
        "email.verification_code.subject",
        "Registration code email: subject",
        "Sent when someone registers for a portal account",
        "Your SEND Portal verification code",
        CODE_PLACEHOLDERS,
    ),
    email_body(
        "email.verification_code.body",
        "Registration code email: text",
        "Sent when someone registers for a portal account. It must give ((code)). Leave a \
         blank line between paragraphs",
        "Your verification code is ((code))\n\n\
         Enter it in the SEND Portal to finish registering your account.\n\n\
         The code works once, for 10 minutes.\n\n\
         If you did not register for the SEND Portal, you can ignore this email.",
        CODE_PLACEHOLDERS,
        &["code"],
    ),
    email_subject(
        "email.sign_in_code.subject",
        "Sign-in code email: subject",
        "Sent each time a family member or professional signs in",
        "Your SEND Portal sign-in code",
        CODE_PLACEHOLDERS,
    ),
    email_body(
        "email.sign_in_code.body",
        "Sign-in code email: text",
        "Sent each time a family member or professional signs in. It must give ((code)). \
         Leave a blank line between paragraphs",
        "Your code to sign in is ((code))\n\n\
         The code works once, for 10 minutes.\n\n\
         A new code is sent each time you sign in.\n\n\
         If you did not try to sign in just now, someone may know your password. Sign in and \
         change it in My Account, or use \u{2018}Forgotten password\u{2019}.",
        CODE_PLACEHOLDERS,
        &["code"],
    ),
    email_subject(
        "email.new_email_code.subject",
        "New email address code email: subject",
        "Sent to the new address when someone changes their email address in My Account",
        "Confirm your new email address for the SEND Portal",
        CODE_PLACEHOLDERS,
    ),
    email_body(
        "email.new_email_code.body",
        "New email address code email: text",
        "Sent to the new address when someone changes their email address in My Account. It \
         must give ((code)). Leave a blank line between paragraphs",
        "Your code to confirm this email address is ((code))\n\n\
         Enter it in My Account in the SEND Portal to start using this address.\n\n\
         The code works once, for 10 minutes.\n\n\
         If you did not ask to use this address for the SEND Portal, you can ignore this email.",
        CODE_PLACEHOLDERS,
        &["code"],
    ),
    email_subject(
        "email.form_receipt.subject",
        "Form receipt email: subject",
        "Sent when someone sends a form in the portal",
        "We have received your form: ((form_title))",
        FORM_RECEIPT_PLACEHOLDERS,
    ),
    email_body(
        "email.form_receipt.body",
        "Form receipt email: text",
        "Sent when someone sends a form in the portal. ((about_child)) is \u{201c}about\u{201d} \
         and the child\u{2019}s first name, or nothing for a form about no child. It must give \
         ((reference)). Leave a blank line between paragraphs",
        "Thank you. The SEND team has received your form \u{201c}((form_title))\u{201d}\
         ((about_child)).\n\n\
         Your reference is ((reference)). Quote it if you contact the SEND team about this \
         form.\n\n\
         For your privacy we do not put your answers in emails. You can see what you sent by \
         signing in to the SEND Portal.",
        FORM_RECEIPT_PLACEHOLDERS,
        &["reference"],
    ),
    email_subject(
        "email.advice_request.subject",
        "Advice request email: subject",
        "Sent to a professional when the SEND team asks them for advice",
        "You have been asked for advice",
        ADVICE_REQUEST_PLACEHOLDERS,
    ),
    email_body(
        "email.advice_request.body",
        "Advice request email: text",
        "Sent to a professional when the SEND team asks them for advice. It must give \
         ((how_to_answer)), which says where to give the advice (with their link). Leave a \
         blank line between paragraphs",
        "((council_name)) has asked you for ((advice_kind)) for an education, health and care \
         (EHC) needs assessment. The law asks for advice within 6 weeks: please send it by \
         ((due_date)).\n\n\
         ((how_to_answer))",
        ADVICE_REQUEST_PLACEHOLDERS,
        &["how_to_answer"],
    ),
    email_subject(
        "email.invitation_link.subject",
        "Accept Portal Invitation email: subject",
        "Sent once the SEND team has checked who an invited person is",
        "Accept Portal Invitation",
        INVITATION_LINK_PLACEHOLDERS,
    ),
    email_body(
        "email.invitation_link.body",
        "Accept Portal Invitation email: text",
        "Sent once the SEND team has checked who an invited person is. It must give \
         ((link)), the invitation link. Leave a blank line between paragraphs",
        "Thank you for confirming who you are. You can now set up your SEND Portal \
         account.\n\n\
         Open this link to accept the invitation: ((link))\n\n\
         If you already have an account, sign in as normal. If not, register for a new \
         account first.\n\n\
         The link works once, until ((expiry_date)).\n\n\
         Contact the SEND team: ((contact)).",
        INVITATION_LINK_PLACEHOLDERS,
        &["link"],
    ),
    email_subject(
        "email.invitation_accepted.subject",
        "Invitation accepted email: subject",
        "Sent when an invited person accepts the portal invitation",
        "Your SEND Portal request has been received",
        INVITATION_ANSWER_PLACEHOLDERS,
    ),
    email_body(
        "email.invitation_accepted.body",
        "Invitation accepted email: text",
        "Sent when an invited person accepts the portal invitation. It must give ((link)), \
         where to sign in. Leave a blank line between paragraphs",
        "Thank you for accepting the invitation to see ((child_name))\u{2019}s case in the \
         SEND Portal.\n\n\
         The SEND team will now check and activate your account. We will email you again \
         when you can see the SEND Dashboard.\n\n\
         This link can be used to access the portal once the SEND team have confirmed your \
         account: ((link))",
        INVITATION_ANSWER_PLACEHOLDERS,
        &["link"],
    ),
    email_subject(
        "email.invitation_refused.subject",
        "Invitation refused email: subject",
        "Sent when an invited person says no to the portal invitation",
        "You did not accept the SEND Portal invitation",
        INVITATION_ANSWER_PLACEHOLDERS,
    ),
    email_body(
        "email.invitation_refused.body",
        "Invitation refused email: text",
        "Sent when an invited person says no to the portal invitation. Leave a blank line \
         between paragraphs",
        "You told us you do not want to see ((child_name))\u{2019}s case in the SEND Portal, \
         so we have closed the invitation.\n\n\
         If this was a mistake, contact the SEND team: ((contact)).",
        INVITATION_ANSWER_PLACEHOLDERS,
        &[],
    ),
    email_subject(
        "email.invitation_confirmed.subject",
        "Portal access confirmed email: subject",
        "Sent when the SEND team confirms an invited person\u{2019}s access",
        "You can now see the SEND Dashboard",
        INVITATION_ANSWER_PLACEHOLDERS,
    ),
    email_body(
        "email.invitation_confirmed.body",
        "Portal access confirmed email: text",
        "Sent when the SEND team confirms an invited person\u{2019}s access. It must give \
         ((link)), where to sign in. Leave a blank line between paragraphs",
        "The SEND team have confirmed your account. You can now see ((child_name))\u{2019}s \
         SEND Dashboard in the SEND Portal.\n\n\
         Sign in to the portal here: ((link)). It is worth adding this link to your \
         favourites.",
        INVITATION_ANSWER_PLACEHOLDERS,
        &["link"],
    ),
    email_subject(
        "email.invitation_declined.subject",
        "Portal access declined email: subject",
        "Sent when the SEND team declines an invited person\u{2019}s access",
        "Your SEND Portal request",
        INVITATION_ANSWER_PLACEHOLDERS,
    ),
    email_body(
        "email.invitation_declined.body",
        "Portal access declined email: text",
        "Sent when the SEND team declines an invited person\u{2019}s access. Leave a blank \
         line between paragraphs",
        "The SEND team could not confirm your access to ((child_name))\u{2019}s case in the \
         SEND Portal.\n\n\
         Contact the SEND team: ((contact)).",
        INVITATION_ANSWER_PLACEHOLDERS,
        &[],
    ),
    email_subject(
        "email.child_link_accepted.subject",
        "Professional linked to a child email: subject",
        "Sent when the SEND team accepts a professional\u{2019}s request to see a child",
        "Your SEND Portal request has been accepted",
        CHILD_LINK_ACCEPTED_PLACEHOLDERS,
    ),
    email_body(
        "email.child_link_accepted.body",
        "Professional linked to a child email: text",
        "Sent when the SEND team accepts a professional\u{2019}s request to see a child. It \
         must give ((link)), where to sign in. Leave a blank line between paragraphs",
        "The SEND team has linked you to ((child_full_name)), so you can now see their SEND \
         Dashboard.\n\n\
         Sign in to the portal here: ((link))",
        CHILD_LINK_ACCEPTED_PLACEHOLDERS,
        &["link"],
    ),
    email_subject(
        "email.child_link_declined.subject",
        "Professional not linked to a child email: subject",
        "Sent when the SEND team declines a professional\u{2019}s request to see a child",
        "Your SEND Portal request",
        CHILD_LINK_DECLINED_PLACEHOLDERS,
    ),
    email_body(
        "email.child_link_declined.body",
        "Professional not linked to a child email: text",
        "Sent when the SEND team declines a professional\u{2019}s request to see a child. It \
         must give ((reason)), the reason the SEND team gave. Leave a blank line between \
         paragraphs",
        "The SEND team could not link you to ((child_full_name)).\n\n\
         The reason they gave: ((reason))",
        CHILD_LINK_DECLINED_PLACEHOLDERS,
        &["reason"],
    ),
    email_subject(
        "email.form_rejected.subject",
        "Form not accepted email: subject",
        "Sent when the SEND team cannot accept a form someone sent",
        "The SEND team could not accept your form: ((form_title))",
        FORM_REJECTED_PLACEHOLDERS,
    ),
    email_body(
        "email.form_rejected.body",
        "Form not accepted email: text",
        "Sent when the SEND team cannot accept a form someone sent. It must give ((reason)), \
         what the SEND team said. Leave a blank line between paragraphs",
        "The SEND team could not accept the form \u{201c}((form_title))\u{201d} you sent \
         (reference ((reference))). This is what they said:\n\n\
         ((reason))\n\n\
         If you have a question about this, reply through Messages in the SEND Portal or \
         contact the SEND team.",
        FORM_REJECTED_PLACEHOLDERS,
        &["reason"],
    ),
    email_subject(
        "email.assessment_request_received.subject",
        "Assessment request received email: subject",
        "Sent to whoever sent a request for an EHC needs assessment once the SEND team takes \
         it in",
        "Your request for an EHC needs assessment",
        ASSESSMENT_REQUEST_PLACEHOLDERS,
    ),
    email_body(
        "email.assessment_request_received.body",
        "Assessment request received email: text",
        "Sent to whoever sent a request for an EHC needs assessment once the SEND team takes \
         it in. It must give ((received_date)), the day the request counts from. Leave a blank \
         line between paragraphs",
        "The SEND team has received your request for an education, health and care (EHC) \
         needs assessment (reference ((reference))). It counts as received on \
         ((received_date)).\n\n\
         The council must tell the family within 6 weeks of that date whether it will carry \
         out an assessment.\n\n\
         For your privacy we do not put details about the child in emails. The SEND team will \
         contact you if they need to know more.",
        ASSESSMENT_REQUEST_PLACEHOLDERS,
        &["received_date"],
    ),
    TextSpec {
        key: "stage.request_received.extra_information",
        group: TextGroup::Stage,
        label: "Request received",
        hint: "What families and professionals read under Extra Information for this stage on \
               the SEND Dashboard. Leave a blank line between paragraphs",
        default: None,
        placeholders: &["council_name", "contact"],
        one_line: false,
        optional: false,
        max_chars: 2000,
        required: &[],
    },
    TextSpec {
        key: "stage.decision_to_assess.extra_information",
        group: TextGroup::Stage,
        label: "Decision to assess",
        hint: "What families and professionals read under Extra Information for this stage on \
               the SEND Dashboard. Leave a blank line between paragraphs",
        default: None,
        placeholders: &["council_name", "contact"],
        one_line: false,
        optional: false,
        max_chars: 2000,
        required: &[],
    },
    TextSpec {
        key: "stage.assessment_and_advice.extra_information",
        group: TextGroup::Stage,
        label: "Assessment and advice",
        hint: "What families and professionals read under Extra Information for this stage on \
               the SEND Dashboard. Leave a blank line between paragraphs",
        default: None,
        placeholders: &["council_name", "contact"],
        one_line: false,
        optional: false,
        max_chars: 2000,
        required: &[],
    },
    TextSpec {
        key: "stage.draft_plan.extra_information",
        group: TextGroup::Stage,
        label: "Draft plan",
        hint: "What families and professionals read under Extra Information for this stage on \
               the SEND Dashboard. Leave a blank line between paragraphs",
        default: None,
        placeholders: &["council_name", "contact"],
        one_line: false,
        optional: false,
        max_chars: 2000,
        required: &[],
    },
    TextSpec {
        key: "stage.final_plan.extra_information",
        group: TextGroup::Stage,
        label: "Final plan",
        hint: "What families and professionals read under Extra Information for this stage on \
               the SEND Dashboard. Leave a blank line between paragraphs",
        default: None,
        placeholders: &["council_name", "contact"],
        one_line: false,
        optional: false,
        max_chars: 2000,
        required: &[],
    },
    TextSpec {
        key: "stage.not_assessed.extra_information",
        group: TextGroup::Stage,
        label: "Not assessed",
        hint: "What families and professionals read under Extra Information for this stage on \
               the SEND Dashboard. Leave a blank line between paragraphs",
        default: None,
        placeholders: &["council_name", "contact"],
        one_line: false,
        optional: false,
        max_chars: 2000,
        required: &[],
    },
    TextSpec {
        key: "stage.not_issued.extra_information",
        group: TextGroup::Stage,
        label: "Plan not issued",
        hint: "What families and professionals read under Extra Information for this stage on \
               the SEND Dashboard. Leave a blank line between paragraphs",
        default: None,
        placeholders: &["council_name", "contact"],
        one_line: false,
        optional: false,
        max_chars: 2000,
        required: &[],
    },
    TextSpec {
        key: "stage.plan_in_force.extra_information",
        group: TextGroup::Stage,
        label: "Plan in force",
        hint: "What families and professionals read under Extra Information for this stage on \
               the SEND Dashboard. Leave a blank line between paragraphs",
        default: None,
        placeholders: &["council_name", "contact"],
        one_line: false,
        optional: false,
        max_chars: 2000,
        required: &[],
    },
    TextSpec {
        key: "stage.plan_ceased.extra_information",
        group: TextGroup::Stage,
        label: "Plan ceased",
        hint: "What families and professionals read under Extra Information for this stage on \
               the SEND Dashboard. Leave a blank line between paragraphs",
        default: None,
        placeholders: &["council_name", "contact"],
        one_line: false,
        optional: false,
        max_chars: 2000,
        required: &[],
    },
    TextSpec {
        key: "stage.reassessment_agreed.extra_information",
        group: TextGroup::Stage,
        label: "Re-assessment agreed",
        hint: "What families and professionals read under Extra Information for this stage on \
               the SEND Dashboard. Leave a blank line between paragraphs",
        default: None,
        placeholders: &["council_name", "contact"],
        one_line: false,
        optional: false,
        max_chars: 2000,
        required: &[],
    },
    TextSpec {
        key: "accessibility.contact",
        group: TextGroup::Accessibility,
        label: "Feedback and contact information",
        hint: "How to ask for another format or report a problem. Leave a blank line between \
               paragraphs",
        default: Some(
            "If you need information in this service in a different format, like large \
             print, easy read, audio recording or braille, or you find a problem with its \
             accessibility, contact the ((council_name)) SEND team: ((contact)). We will \
             consider your request and reply within 10 working days.",
        ),
        placeholders: &["council_name", "contact"],
        one_line: false,
        optional: false,
        max_chars: 2000,
        required: &[],
    },
    TextSpec {
        key: "accessibility.compliance",
        group: TextGroup::Accessibility,
        label: "Compliance status",
        hint: "Say whether the service has had an independent audit, when and with what result",
        default: Some(
            "This service is designed to be fully compliant with the Web Content \
             Accessibility Guidelines version 2.2 AA standard. It has not yet had an \
             independent accessibility audit; ((council_name)) should arrange one before the \
             service goes live and publish the date and result here.",
        ),
        placeholders: &["council_name"],
        one_line: false,
        optional: false,
        max_chars: 2000,
        required: &[],
    },
];

/// Made-up values for the placeholders a preview fills in, besides the
/// council's name and the contact details (which are the ones in force).
pub const SAMPLE_VALUES: &[(&str, &str)] = &[
    ("code", "ABCD-2345"),
    ("link", "https://send-portal.example.gov.uk/sign-in"),
    ("role", "caseworker"),
    ("child_name", "Sam"),
    ("advice_kind", "educational advice"),
    ("advice", "Educational advice"),
    ("sent_date", "5 January 2026"),
    ("due_date", "2 February 2026"),
    ("days", "3"),
    (
        "how_to_answer",
        "Sign in to the SEND portal to see the request and give your advice: \
         https://send-portal.example.gov.uk/advice",
    ),
    ("form_title", "Request for an assessment"),
    ("about_child", " about Sam"),
    ("reference", "F-2026-0042"),
    ("expiry_date", "19 January 2026"),
    ("child_full_name", "Sam Example"),
    (
        "reason",
        "We could not find a child with these details. Please check the date of birth.",
    ),
    ("received_date", "5 January 2026"),
];

/// What each placeholder stands for, for the edit page's hint.
pub fn placeholder_meaning(name: &str) -> &'static str {
    match name {
        "council_name" => "the council\u{2019}s name",
        "contact" => "how to reach the SEND team",
        "code" => "the code",
        "link" => "the link",
        "role" => "the member of staff\u{2019}s role",
        "child_name" => "the child\u{2019}s first name",
        "advice_kind" => "the kind of advice",
        "advice" => "the kind of advice, with a capital letter to begin a sentence",
        "sent_date" => "the day the request was sent",
        "due_date" => "the day the advice is due",
        "days" => "how many days are left",
        "how_to_answer" => "where to give the advice, with the professional\u{2019}s link",
        "form_title" => "the form\u{2019}s title",
        "about_child" => "\u{201c}about\u{201d} and the child\u{2019}s first name, or nothing",
        "reference" => "the form\u{2019}s reference",
        "expiry_date" => "the last day the link works",
        "child_full_name" => "the child\u{2019}s full name",
        "reason" => "what the SEND team wrote",
        "received_date" => "the day the request counts as received",
        _ => "",
    }
}

/// The text with `key`, if the council may change it.
pub fn spec(key: &str) -> Option<&'static TextSpec> {
    CATALOGUE.iter().find(|s| s.key == key)
}

/// Why a text was refused, with the message the page shows by its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    Empty,
    TooLong(usize),
    NotOneLine,
    /// `((` without its `))`, or `))` without its `((`.
    Unclosed,
    /// Placeholders the text may not use, by name, in the order written.
    UnknownPlaceholders(Vec<String>),
    /// A contact email that is not an email address.
    NotAnEmail,
    /// Placeholders the text must use but does not, by name.
    MissingPlaceholders(Vec<String>),
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("Enter the text"),
            Self::TooLong(max) => write!(f, "The text must be {max} characters or fewer"),
            Self::NotOneLine => f.write_str("The text must be on one line"),
            Self::Unclosed => f.write_str(
                "The text has a placeholder that is not closed: write it with two brackets on \
                 each side, like ((council_name))",
            ),
            Self::UnknownPlaceholders(names) => {
                let written: Vec<String> = names.iter().map(|n| format!("(({n}))")).collect();
                if names.len() == 1 {
                    write!(
                        f,
                        "The text uses {}, which the portal cannot fill in here",
                        written.join(", ")
                    )
                } else {
                    write!(
                        f,
                        "The text uses {}, which the portal cannot fill in here",
                        written.join(" and ")
                    )
                }
            }
            Self::NotAnEmail => f.write_str(
                "Enter an email address in the correct format, like send@example.gov.uk",
            ),
            Self::MissingPlaceholders(names) => {
                let written: Vec<String> = names.iter().map(|n| format!("(({n}))")).collect();
                write!(
                    f,
                    "The text must use {}: the email is no use without it",
                    written.join(" and ")
                )
            }
        }
    }
}

/// The placeholder names a text uses, in the order written; `Err` if a
/// `((` or `))` is unmatched.
fn placeholders_in(text: &str) -> Result<Vec<String>, TextError> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("((") {
        if rest[..open].contains("))") {
            return Err(TextError::Unclosed);
        }
        let after = &rest[open + 2..];
        let close = after.find("))").ok_or(TextError::Unclosed)?;
        let name = &after[..close];
        if name.contains("((") {
            return Err(TextError::Unclosed);
        }
        names.push(name.trim().to_owned());
        rest = &after[close + 2..];
    }
    if rest.contains("))") {
        return Err(TextError::Unclosed);
    }
    Ok(names)
}

/// Checks that `text` uses only `allowed` placeholders: `Err` with the unknown
/// names (each once, in the order written) otherwise.
pub fn check(text: &str, allowed: &[&str]) -> Result<(), TextError> {
    let mut unknown: Vec<String> = Vec::new();
    for name in placeholders_in(text)? {
        if !allowed.contains(&name.as_str()) && !unknown.contains(&name) {
            unknown.push(name);
        }
    }
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(TextError::UnknownPlaceholders(unknown))
    }
}

/// Fills in each `((name))` from `values`; a name without a value becomes
/// nothing (a stored text was checked when it was saved).
pub fn render(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("((") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("))") else {
            break;
        };
        out.push_str(&rest[..open]);
        let name = after[..close].trim();
        if let Some((_, value)) = values.iter().find(|(n, _)| *n == name) {
            out.push_str(value);
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

/// Splits a text into paragraphs at blank lines, each on one line.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

impl TextSpec {
    /// Checks `input` for this text, as typed: the text to keep (trimmed, with
    /// Unix line ends), or what is wrong with it. An optional text may be
    /// empty.
    pub fn parse(&self, input: &str) -> Result<String, TextError> {
        let value = input.replace("\r\n", "\n");
        let value = value.trim();
        if value.is_empty() {
            return if self.optional {
                Ok(String::new())
            } else {
                Err(TextError::Empty)
            };
        }
        if value.chars().count() > self.max_chars {
            return Err(TextError::TooLong(self.max_chars));
        }
        if self.one_line && value.chars().any(char::is_control) {
            return Err(TextError::NotOneLine);
        }
        if self.key == "contact.email" && Email::parse(value).is_err() {
            return Err(TextError::NotAnEmail);
        }
        check(value, self.placeholders)?;
        let used = placeholders_in(value)?;
        let missing: Vec<String> = self
            .required
            .iter()
            .filter(|name| !used.iter().any(|u| u == *name))
            .map(|name| (*name).to_owned())
            .collect();
        if !missing.is_empty() {
            return Err(TextError::MissingPlaceholders(missing));
        }
        Ok(value.to_owned())
    }
}

/// The texts in force: the council's saved wording over the shipped defaults,
/// and the contact details over the settings'.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Texts {
    saved: BTreeMap<String, String>,
    contact: Option<SendTeamContact>,
    /// Defaults the catalogue does not hold (each stage's guide, which the
    /// application writes).
    defaults: BTreeMap<String, String>,
}

impl Texts {
    pub fn new(saved: Vec<CouncilText>, contact: Option<SendTeamContact>) -> Self {
        Self {
            saved: saved.into_iter().map(|t| (t.key, t.value)).collect(),
            contact,
            defaults: BTreeMap::new(),
        }
    }

    /// Gives `key` the default `text` (for texts whose default the
    /// application writes, such as a stage's guide).
    #[must_use]
    pub fn with_default(mut self, key: &str, text: String) -> Self {
        self.defaults.insert(key.to_owned(), text);
        self
    }

    /// The default `key` has before the council changes it.
    pub fn default_of(&self, key: &str) -> String {
        let from_settings = |contact: &SendTeamContact| match key {
            "contact.phone" => contact.phone.clone(),
            "contact.email" => contact.email.clone(),
            "contact.hours" => contact.hours.clone().unwrap_or_default(),
            "contact.address" => contact.address.clone().unwrap_or_default(),
            _ => String::new(),
        };
        if let Some(default) = self.defaults.get(key) {
            return default.clone();
        }
        match spec(key).and_then(|s| s.default) {
            Some(default) => default.to_owned(),
            None => self.contact.as_ref().map(from_settings).unwrap_or_default(),
        }
    }

    /// Whether the council saved its own wording for `key`.
    pub fn is_changed(&self, key: &str) -> bool {
        self.saved.contains_key(key)
    }

    /// The text of `key` in force.
    pub fn get(&self, key: &str) -> String {
        self.saved
            .get(key)
            .cloned()
            .unwrap_or_else(|| self.default_of(key))
    }

    /// The SEND team's contact details in force, if there are any (a real
    /// installation always has them: `serve` refuses to start without).
    pub fn contact(&self) -> Option<SendTeamContact> {
        let phone = self.get("contact.phone");
        let email = self.get("contact.email");
        if phone.is_empty() || email.is_empty() {
            return None;
        }
        let optional = |v: String| Some(v).filter(|v| !v.is_empty());
        Some(SendTeamContact {
            phone,
            email,
            address: optional(self.get("contact.address")),
            hours: optional(self.get("contact.hours")),
        })
    }

    /// How to reach the SEND team in one phrase, or a fallback that sends
    /// people to the council.
    pub fn contact_sentence(&self, council_name: &str) -> String {
        match self.contact() {
            Some(contact) => contact.sentence(),
            None => format!("through {council_name}'s website"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_placeholder_is_refused_by_name() {
        assert_eq!(check("Hello ((council_name))", &["council_name"]), Ok(()));
        assert_eq!(
            check(
                "((child)) and ((code)) and (( child ))",
                &["council_name", "code"]
            ),
            Err(TextError::UnknownPlaceholders(vec!["child".to_owned()]))
        );
        let err = check("((a)) ((b))", &[]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "The text uses ((a)) and ((b)), which the portal cannot fill in here"
        );
        assert_eq!(check("((code", &["code"]), Err(TextError::Unclosed));
        assert_eq!(check("code))", &["code"]), Err(TextError::Unclosed));
    }

    #[test]
    fn rendering_fills_known_values_and_drops_others() {
        assert_eq!(
            render(
                "Code ((code)) from (( council_name )), ((other)).",
                &[("code", "ABCD2345"), ("council_name", "Exampleshire")]
            ),
            "Code ABCD2345 from Exampleshire, ."
        );
        assert_eq!(
            paragraphs("One\r\ntwo\r\n\r\n\n\nThree  "),
            vec!["One two", "Three"]
        );
    }

    #[test]
    fn every_email_default_uses_only_its_placeholders_and_all_it_needs() {
        let emails: Vec<&TextSpec> = CATALOGUE
            .iter()
            .filter(|s| s.group == TextGroup::Email)
            .collect();
        assert_eq!(
            emails.len(),
            2 * 27,
            "every email the portal sends but the notifications"
        );
        for spec in &emails {
            let default = spec.default.expect("an email ships its wording");
            assert_eq!(spec.parse(default).as_deref(), Ok(default), "{}", spec.key);
            let used = placeholders_in(default).unwrap();
            for name in spec.required {
                assert!(spec.placeholders.contains(name), "{}: {name}", spec.key);
                assert!(used.iter().any(|u| u == name), "{}: {name}", spec.key);
            }
            for name in spec.placeholders {
                assert!(
                    !placeholder_meaning(name).is_empty(),
                    "{}: {name}",
                    spec.key
                );
                assert!(
                    ["council_name", "contact"].contains(name)
                        || SAMPLE_VALUES.iter().any(|(n, _)| n == name),
                    "{}: (({name})) has a sample for the preview",
                    spec.key
                );
            }
            // Each subject has its text, and the other way round.
            let kind = spec
                .key
                .trim_end_matches(".subject")
                .trim_end_matches(".body");
            assert!(super::spec(&format!("{kind}.subject")).is_some(), "{kind}");
            assert!(super::spec(&format!("{kind}.body")).is_some(), "{kind}");
        }
    }

    #[test]
    fn an_email_without_its_link_or_code_is_refused() {
        let body = spec("email.sign_in_code.body").unwrap();
        let err = body.parse("Your code is on its way.").unwrap_err();
        assert_eq!(err, TextError::MissingPlaceholders(vec!["code".to_owned()]));
        assert_eq!(
            err.to_string(),
            "The text must use ((code)): the email is no use without it"
        );
        assert!(body.parse("Your code: (( code ))").is_ok());
        let setup = spec("email.staff_setup.body").unwrap();
        assert_eq!(
            setup.parse("Welcome to ((council_name))"),
            Err(TextError::MissingPlaceholders(vec!["link".to_owned()]))
        );
        // A subject need not carry the code.
        assert!(
            spec("email.sign_in_code.subject")
                .unwrap()
                .parse("Hello")
                .is_ok()
        );
    }

    #[test]
    fn every_default_uses_only_its_own_placeholders() {
        for spec in CATALOGUE {
            if let Some(default) = spec.default {
                assert_eq!(spec.parse(default).as_deref(), Ok(default), "{}", spec.key);
            }
        }
        let keys: std::collections::BTreeSet<&str> = CATALOGUE.iter().map(|s| s.key).collect();
        assert_eq!(keys.len(), CATALOGUE.len(), "each key once");
    }

    #[test]
    fn parsing_trims_and_checks_each_kind_of_text() {
        let phone = spec("contact.phone").unwrap();
        assert_eq!(
            phone.parse(" 0300 123 4567 "),
            Ok("0300 123 4567".to_owned())
        );
        assert_eq!(phone.parse("  "), Err(TextError::Empty));
        assert_eq!(phone.parse("01\n02"), Err(TextError::NotOneLine));
        let hours = spec("contact.hours").unwrap();
        assert_eq!(hours.parse(""), Ok(String::new()));
        let email = spec("contact.email").unwrap();
        assert_eq!(email.parse("not an email"), Err(TextError::NotAnEmail));
        let body = spec("email.reference_code.body").unwrap();
        assert_eq!(
            body.parse("Your code: ((code))\r\n\r\nFrom ((child_name))"),
            Err(TextError::UnknownPlaceholders(vec![
                "child_name".to_owned()
            ]))
        );
        assert_eq!(body.parse(&"x".repeat(2001)), Err(TextError::TooLong(2000)));
    }

    #[test]
    fn saved_texts_and_contact_details_override_the_defaults() {
        let settings = SendTeamContact::parse(
            "0300 123 4567",
            "send@example.gov.uk",
            None,
            Some("Monday to Friday, 9am to 5pm"),
        )
        .unwrap();
        let texts = Texts::new(Vec::new(), Some(settings.clone()));
        assert_eq!(texts.contact(), Some(settings));
        assert_eq!(
            texts.contact_sentence("Exampleshire"),
            "telephone 0300 123 4567 (Monday to Friday, 9am to 5pm) or email send@example.gov.uk"
        );
        let texts = Texts::new(
            vec![
                CouncilText {
                    key: "contact.phone".to_owned(),
                    value: "01632 960 000".to_owned(),
                },
                CouncilText {
                    key: "contact.hours".to_owned(),
                    value: String::new(),
                },
            ],
            texts.contact,
        );
        assert!(texts.is_changed("contact.phone"));
        assert_eq!(texts.default_of("contact.phone"), "0300 123 4567");
        let contact = texts.contact().unwrap();
        assert_eq!(contact.phone, "01632 960 000");
        assert_eq!(contact.hours, None, "cleared by the council");
        assert_eq!(
            Texts::default().contact_sentence("Exampleshire"),
            "through Exampleshire's website"
        );
        assert!(SendTeamContact::parse(" ", "a@b.example", None, None).is_err());
        assert!(SendTeamContact::parse("1", "nope", None, None).is_err());
    }
}
