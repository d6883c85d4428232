//! Automatic notifications (DESIGN NTF-3): the emails the portal sends to the
//! people linked to a child when something happens on the child's case.
//!
//! The council chooses, per [`NotificationEvent`], which [`Audience`]s get an
//! email and what it says ([`NotificationSetting`]); until it does, each event
//! has its default. A text is plain English with [`Placeholder`]s: the child's
//! first name, the link to the right page and the council's name (and, for a
//! form sent to complete, its title and due date) are the only values a
//! notification can carry, so no other personal data can reach an email (the
//! greeting with the recipient's own name is added when it is sent).
//!
//! A person may turn off the optional events in My Account; the statutory ones
//! ([`NotificationEvent::is_statutory`]: a decision the family may appeal, the
//! final plan) are always sent.

use std::fmt;

use crate::audit::code_enum;
use crate::involvements::Stage;
use crate::portal_access::PortalRole;

code_enum!(
    /// Something on a child's case that may send an email to the people linked
    /// to the child.
    NotificationEvent {
        /// An involvement moved to another stage (not a decision or a plan).
        StageChanged => "stage_changed",
        /// A decision with a right of appeal: not to assess, not to issue a plan,
        /// after an annual review, to end a plan.
        DecisionRecorded => "decision_recorded",
        /// A document was shared with the person.
        DocumentShared => "document_shared",
        /// A form was sent to the person to complete (Actions to Complete).
        ActionSent => "action_sent",
        /// Advice for an assessment arrived.
        AdviceReceived => "advice_received",
        /// A draft EHC plan was issued.
        DraftPlanIssued => "draft_plan_issued",
        /// The final EHC plan (or an amended plan) was issued.
        FinalPlanIssued => "final_plan_issued",
        /// A plan's annual review is coming up.
        ReviewDue => "review_due",
        /// The SEND team wrote in a conversation the person is in.
        MessageReceived => "message_received",
    }
);

impl NotificationEvent {
    /// Its name on the pages.
    pub fn label(self) -> &'static str {
        match self {
            Self::StageChanged => "Stage changed",
            Self::DecisionRecorded => "Decision recorded",
            Self::DocumentShared => "Document shared",
            Self::ActionSent => "Action sent",
            Self::AdviceReceived => "Advice received",
            Self::DraftPlanIssued => "Draft plan issued",
            Self::FinalPlanIssued => "Final plan issued",
            Self::ReviewDue => "Review due",
            Self::MessageReceived => "Message received",
        }
    }

    /// When it is sent, in plain English.
    pub fn description(self) -> &'static str {
        match self {
            Self::StageChanged => "An assessment moves to its next stage",
            Self::DecisionRecorded => {
                "A decision that can be appealed: not to assess, not to issue a plan, after an \
                 annual review, or to end a plan"
            }
            Self::DocumentShared => "The SEND team shares a document with the person",
            Self::ActionSent => "The SEND team sends the person a form to complete",
            Self::AdviceReceived => "Advice for an assessment arrives",
            Self::DraftPlanIssued => "A draft EHC plan is issued",
            Self::FinalPlanIssued => "The final EHC plan, or an amended plan, is issued",
            Self::ReviewDue => "A plan's annual review is coming up",
            Self::MessageReceived => "The SEND team writes in a conversation the person is in",
        }
    }

    /// A statutory notification is about a decision the family may appeal: a
    /// person cannot turn it off.
    pub fn is_statutory(self) -> bool {
        matches!(self, Self::DecisionRecorded | Self::FinalPlanIssued)
    }

    /// The page its link leads to.
    pub fn page(self) -> Page {
        match self {
            Self::DocumentShared => Page::Documents,
            Self::MessageReceived => Page::Conversation,
            _ => Page::Dashboard,
        }
    }

    /// The event a move to `stage` is: a decision, a plan, or a stage change.
    pub fn of_stage(stage: Stage) -> Self {
        match stage {
            Stage::DraftPlan => Self::DraftPlanIssued,
            Stage::FinalPlan => Self::FinalPlanIssued,
            Stage::NotAssessed | Stage::NotIssued | Stage::PlanCeased => Self::DecisionRecorded,
            Stage::RequestReceived
            | Stage::DecisionToAssess
            | Stage::AssessmentAndAdvice
            | Stage::PlanInForce
            | Stage::ReassessmentAgreed => Self::StageChanged,
        }
    }

    /// Who gets it until the council chooses: families always; professionals
    /// too, but for advice (which they send themselves).
    pub fn default_audiences(self) -> Audiences {
        Audiences {
            families: true,
            professionals: !matches!(self, Self::AdviceReceived),
        }
    }

    /// Its text until the council writes its own.
    pub fn default_text(self) -> NotificationText {
        let (subject, body) = default_words(self);
        NotificationText {
            subject: subject.to_owned(),
            body: body.to_owned(),
        }
    }

    /// Its setting until the council chooses.
    pub fn default_setting(self) -> NotificationSetting {
        NotificationSetting {
            event: self,
            audiences: self.default_audiences(),
            text: self.default_text(),
        }
    }
}

fn default_words(event: NotificationEvent) -> (&'static str, &'static str) {
    match event {
        NotificationEvent::StageChanged => (
            "((child_first_name))'s EHC needs assessment has moved to its next stage",
            "The SEND team has moved ((child_first_name))'s EHC needs assessment to its next \
             stage.\n\nSign in to see the stage and what happens next on the SEND Dashboard: \
             ((link))\n\nYou can turn these emails off in My Account.",
        ),
        NotificationEvent::DecisionRecorded => (
            "The SEND team has made a decision about ((child_first_name))",
            "The SEND team has recorded a decision about ((child_first_name)). You have the \
             right to appeal against it, and the decision letter tells you how.\n\nSign in to \
             see it on the SEND Dashboard: ((link))\n\nWe always send this email, because the \
             decision can be appealed.",
        ),
        NotificationEvent::DocumentShared => (
            "A document about ((child_first_name)) has been shared with you in the SEND Portal",
            "The SEND team has shared a document about ((child_first_name)) with you in the \
             SEND Portal.\n\nSign in to see it in Documents to View: ((link))\n\nFor your \
             privacy we do not put documents in emails. You can turn these emails off in My \
             Account.",
        ),
        NotificationEvent::ActionSent => (
            "The SEND team has sent you a form to complete about ((child_first_name))",
            "The SEND team has sent you a form to complete about ((child_first_name)): \
             “((form_title))”. Please complete it ((when_due)).\n\nSign in to the SEND Portal \
             and open it under Actions to Complete: ((link))\n\nFor your privacy we do not put \
             forms in emails. You can turn these emails off in My Account.",
        ),
        NotificationEvent::AdviceReceived => (
            "Advice for ((child_first_name))'s EHC needs assessment has arrived",
            "The SEND team has received advice for ((child_first_name))'s EHC needs \
             assessment.\n\nSign in to see where the assessment is on the SEND Dashboard: \
             ((link))\n\nYou can turn these emails off in My Account.",
        ),
        NotificationEvent::DraftPlanIssued => (
            "A draft EHC plan for ((child_first_name)) has been issued",
            "The SEND team has issued a draft EHC plan for ((child_first_name)). There are 15 \
             days to comment on it and to ask for a school or setting to be named.\n\nSign in \
             to see what happens next on the SEND Dashboard: ((link))\n\nYou can turn these \
             emails off in My Account.",
        ),
        NotificationEvent::FinalPlanIssued => (
            "The EHC plan for ((child_first_name)) has been issued",
            "The SEND team has issued the EHC plan for ((child_first_name)). You have the \
             right to appeal against parts of it, and the letter with the plan tells you \
             how.\n\nSign in to see it on the SEND Dashboard: ((link))\n\nWe always send this \
             email, because the plan can be appealed.",
        ),
        NotificationEvent::ReviewDue => (
            "((child_first_name))'s EHC plan is due for its annual review",
            "((child_first_name))'s EHC plan is due for its annual review. You will be invited \
             to the review meeting and asked for your views.\n\nSign in to see the dates on \
             the SEND Dashboard: ((link))\n\nYou can turn these emails off in My Account.",
        ),
        NotificationEvent::MessageReceived => (
            "You have a new message about ((child_first_name)) in the SEND Portal",
            "You have a new message about ((child_first_name)) in the SEND Portal.\n\nSign in \
             to read it: ((link))\n\nFor your privacy we do not put messages in emails. You can \
             turn these emails off in My Account.",
        ),
    }
}

/// The page a notification's link leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The child's SEND Dashboard (stages, decisions, Actions to Complete).
    Dashboard,
    /// The child's Documents to View.
    Documents,
    /// The conversation the message is in.
    Conversation,
}

code_enum!(
    /// Who among the people linked to a child a notification goes to.
    Audience {
        /// Parents, carers and young people.
        Families => "families",
        /// Professionals who work with the child.
        Professionals => "professionals",
    }
);

impl Audience {
    pub fn label(self) -> &'static str {
        match self {
            Self::Families => "Parents, carers and young people",
            Self::Professionals => "Professionals",
        }
    }

    /// The audience a person linked in `role` belongs to.
    pub fn of_role(role: PortalRole) -> Self {
        match role {
            PortalRole::Parent | PortalRole::YoungPerson => Self::Families,
            PortalRole::Professional => Self::Professionals,
        }
    }
}

/// Which audiences get an event's email.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Audiences {
    pub families: bool,
    pub professionals: bool,
}

impl Audiences {
    /// Whether `audience` gets it.
    pub fn includes(self, audience: Audience) -> bool {
        match audience {
            Audience::Families => self.families,
            Audience::Professionals => self.professionals,
        }
    }

    /// Whether nobody gets it.
    pub fn is_empty(self) -> bool {
        !self.families && !self.professionals
    }

    /// "Parents, carers and young people; Professionals", or "Nobody".
    pub fn describe(self) -> String {
        let names: Vec<&str> = Audience::ALL
            .iter()
            .filter(|a| self.includes(**a))
            .map(|a| a.label())
            .collect();
        if names.is_empty() {
            "Nobody".to_owned()
        } else {
            names.join("; ")
        }
    }
}

/// What the council chose for one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationSetting {
    pub event: NotificationEvent,
    pub audiences: Audiences,
    pub text: NotificationText,
}

impl NotificationSetting {
    /// Whether a person linked in `role` gets this event's email.
    pub fn sends_to(&self, role: PortalRole) -> bool {
        self.audiences.includes(Audience::of_role(role))
    }
}

code_enum!(
    /// A value a notification's text may name, written `((name))`.
    Placeholder {
        /// The child's first name (their preferred name, if they have one).
        ChildFirstName => "child_first_name",
        /// The address of the page the email is about.
        Link => "link",
        /// The council's name.
        CouncilName => "council_name",
        /// The title of the form sent (only in [`NotificationEvent::ActionSent`]).
        FormTitle => "form_title",
        /// "by 19 December 2026", or "when you can" for a form with no due
        /// date (only in [`NotificationEvent::ActionSent`]).
        WhenDue => "when_due",
    }
);

impl Placeholder {
    /// What it becomes, for the editing page.
    pub fn description(self) -> &'static str {
        match self {
            Self::ChildFirstName => "the child's first name",
            Self::Link => "the link to the page the email is about",
            Self::CouncilName => "the council's name",
            Self::FormTitle => "the form's title",
            Self::WhenDue => "“by” and the date the form is due, or “when you can”",
        }
    }

    /// Whether `event`'s text may use it.
    pub fn allowed_in(self, event: NotificationEvent) -> bool {
        match self {
            Self::ChildFirstName | Self::Link | Self::CouncilName => true,
            Self::FormTitle | Self::WhenDue => event == NotificationEvent::ActionSent,
        }
    }

    /// The placeholders `event`'s text may use.
    pub fn all_in(event: NotificationEvent) -> Vec<Self> {
        Self::ALL
            .iter()
            .copied()
            .filter(|p| p.allowed_in(event))
            .collect()
    }

    /// `((name))`.
    pub fn written(self) -> String {
        format!("(({}))", self.code())
    }
}

/// The field of a text a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    Subject,
    Body,
}

impl TextField {
    /// The form field's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Subject => "subject",
            Self::Body => "body",
        }
    }

    fn words(self) -> &'static str {
        match self {
            Self::Subject => "subject",
            Self::Body => "email",
        }
    }
}

/// Why a text was refused, with the message the page shows by its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextProblem {
    Empty(TextField),
    TooLong(TextField, usize),
    /// The subject has a line break or another control character.
    NotOneLine,
    /// `((…))` naming something that is not a [`Placeholder`] of this event.
    UnknownPlaceholder(TextField, String, NotificationEvent),
    /// `((` without its `))`, or `))` without its `((`.
    Unclosed(TextField),
    /// The body has no `((link))`.
    NoLink,
}

impl TextProblem {
    /// The field the problem is in.
    pub fn field(&self) -> TextField {
        match self {
            Self::Empty(field)
            | Self::TooLong(field, _)
            | Self::UnknownPlaceholder(field, _, _)
            | Self::Unclosed(field) => *field,
            Self::NotOneLine => TextField::Subject,
            Self::NoLink => TextField::Body,
        }
    }
}

impl fmt::Display for TextProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty(TextField::Subject) => f.write_str("Enter the subject"),
            Self::Empty(TextField::Body) => f.write_str("Enter the text of the email"),
            Self::TooLong(field, max) => {
                write!(f, "The {} must be {max} characters or fewer", field.words())
            }
            Self::NotOneLine => f.write_str("The subject must be on one line"),
            Self::UnknownPlaceholder(field, name, event) => {
                let allowed: Vec<String> = Placeholder::all_in(*event)
                    .into_iter()
                    .map(Placeholder::written)
                    .collect();
                write!(
                    f,
                    "The {} uses (({name})), which the portal cannot fill in: use {}",
                    field.words(),
                    allowed.join(", ")
                )
            }
            Self::Unclosed(field) => write!(
                f,
                "The {} has a placeholder that is not closed: write it as ((link)), with two \
                 brackets on each side",
                field.words()
            ),
            Self::NoLink => f.write_str(
                "The email must include ((link)), so people can go straight to the page",
            ),
        }
    }
}

/// A notification's subject and body, checked: not empty, within the limits,
/// the subject on one line, only known placeholders, and the body with its
/// link. Paragraphs of the body are separated by a blank line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationText {
    subject: String,
    body: String,
}

/// One piece of a text: words as written, or a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'a> {
    Words(&'a str),
    Value(Placeholder),
}

/// Splits a text at its placeholders.
fn pieces(
    text: &str,
    field: TextField,
    event: NotificationEvent,
) -> Result<Vec<Piece<'_>>, TextProblem> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("((") {
        let before = &rest[..open];
        if before.contains("))") {
            return Err(TextProblem::Unclosed(field));
        }
        if !before.is_empty() {
            out.push(Piece::Words(before));
        }
        let after = &rest[open + 2..];
        let Some(close) = after.find("))") else {
            return Err(TextProblem::Unclosed(field));
        };
        let name = &after[..close];
        if name.contains("((") {
            return Err(TextProblem::Unclosed(field));
        }
        let placeholder = name
            .trim()
            .parse::<Placeholder>()
            .ok()
            .filter(|p| p.allowed_in(event))
            .ok_or_else(|| TextProblem::UnknownPlaceholder(field, name.trim().to_owned(), event))?;
        out.push(Piece::Value(placeholder));
        rest = &after[close + 2..];
    }
    if rest.contains("))") {
        return Err(TextProblem::Unclosed(field));
    }
    if !rest.is_empty() {
        out.push(Piece::Words(rest));
    }
    Ok(out)
}

impl NotificationText {
    /// The most a subject may hold as written (with the child's name it must
    /// still fit an email's subject).
    pub const SUBJECT_MAX_CHARS: usize = 100;
    /// The most a body may hold.
    pub const BODY_MAX_CHARS: usize = 2000;

    /// Checks `event`'s subject and body as typed; every problem found, in
    /// the order of the fields.
    pub fn parse(
        event: NotificationEvent,
        subject: &str,
        body: &str,
    ) -> Result<Self, Vec<TextProblem>> {
        let subject = subject.trim();
        let body = body.replace("\r\n", "\n");
        let body = body.trim();
        let mut problems = Vec::new();
        if subject.is_empty() {
            problems.push(TextProblem::Empty(TextField::Subject));
        } else if subject.chars().count() > Self::SUBJECT_MAX_CHARS {
            problems.push(TextProblem::TooLong(
                TextField::Subject,
                Self::SUBJECT_MAX_CHARS,
            ));
        } else if subject.chars().any(char::is_control) {
            problems.push(TextProblem::NotOneLine);
        } else if let Err(problem) = pieces(subject, TextField::Subject, event) {
            problems.push(problem);
        }
        if body.is_empty() {
            problems.push(TextProblem::Empty(TextField::Body));
        } else if body.chars().count() > Self::BODY_MAX_CHARS {
            problems.push(TextProblem::TooLong(TextField::Body, Self::BODY_MAX_CHARS));
        } else {
            match pieces(body, TextField::Body, event) {
                Err(problem) => problems.push(problem),
                Ok(found) if !found.contains(&Piece::Value(Placeholder::Link)) => {
                    problems.push(TextProblem::NoLink);
                }
                Ok(_) => {}
            }
        }
        if problems.is_empty() {
            Ok(Self {
                subject: subject.to_owned(),
                body: body.to_owned(),
            })
        } else {
            Err(problems)
        }
    }

    /// A text as the store kept it (checked when it was saved).
    pub fn from_stored(subject: String, body: String) -> Self {
        Self { subject, body }
    }

    pub fn subject(&self) -> &str {
        &self.subject
    }

    pub fn body(&self) -> &str {
        &self.body
    }

    /// The subject and paragraphs with the values filled in. A placeholder a
    /// stored text could not fill (it never passed [`Self::parse`]) is left out.
    pub fn render(&self, values: &Values) -> Rendered {
        let subject: String = fill(&self.subject, TextField::Subject, values)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let paragraphs = fill(&self.body, TextField::Body, values)
            .split("\n\n")
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|p| !p.is_empty())
            .collect();
        Rendered {
            subject: subject
                .chars()
                .take(crate::EmailSubject::MAX_CHARS)
                .collect(),
            paragraphs,
        }
    }
}

fn fill(text: &str, field: TextField, values: &Values) -> String {
    // Rendering fills whatever it knows: the text was checked for its event
    // when it was saved.
    let Ok(found) = pieces(text, field, NotificationEvent::ActionSent) else {
        return text.to_owned();
    };
    found
        .into_iter()
        .map(|piece| match piece {
            Piece::Words(words) => words.to_owned(),
            Piece::Value(placeholder) => values.get(placeholder).to_owned(),
        })
        .collect()
}

/// What the placeholders become in one email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Values {
    pub child_first_name: String,
    /// An absolute address on the portal.
    pub link: String,
    pub council_name: String,
    /// The form's title (a form sent to complete); empty otherwise.
    pub form_title: String,
    /// "by 19 December 2026" or "when you can" (a form sent to complete);
    /// empty otherwise.
    pub when_due: String,
}

impl Values {
    /// The sample data a preview shows: a made-up child and the page's address
    /// for no real child.
    pub fn sample(council_name: &str, link: String) -> Self {
        Self {
            child_first_name: SAMPLE_CHILD_FIRST_NAME.to_owned(),
            link,
            council_name: council_name.to_owned(),
            form_title: "Parental Preference Form".to_owned(),
            when_due: "by 1 April 2027".to_owned(),
        }
    }

    fn get(&self, placeholder: Placeholder) -> &str {
        match placeholder {
            Placeholder::ChildFirstName => &self.child_first_name,
            Placeholder::Link => &self.link,
            Placeholder::CouncilName => &self.council_name,
            Placeholder::FormTitle => &self.form_title,
            Placeholder::WhenDue => &self.when_due,
        }
    }
}

/// The child's first name in previews.
pub const SAMPLE_CHILD_FIRST_NAME: &str = "Sam";

/// A text with its values: the subject and the body's paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub paragraphs: Vec<String>,
}

/// Whether a person gets an event's email, as My Account shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Statutory: always sent.
    Always,
    /// Optional, and the person gets it.
    On,
    /// Optional, and the person turned it off.
    Off,
}

impl Choice {
    /// The person's choice for `event`, given the events they turned off.
    pub fn of(event: NotificationEvent, opted_out: &[NotificationEvent]) -> Self {
        if event.is_statutory() {
            Self::Always
        } else if opted_out.contains(&event) {
            Self::Off
        } else {
            Self::On
        }
    }

    /// Whether the email is sent.
    pub fn sends(self) -> bool {
        !matches!(self, Self::Off)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Values {
        Values {
            child_first_name: "Lex".to_owned(),
            link: "https://portal.example/children/1/dashboard".to_owned(),
            council_name: "Testshire County Council".to_owned(),
            form_title: "Parental Preference Form".to_owned(),
            when_due: "by 19 December 2026".to_owned(),
        }
    }

    fn parse(subject: &str, body: &str) -> Result<NotificationText, Vec<TextProblem>> {
        NotificationText::parse(NotificationEvent::StageChanged, subject, body)
    }

    #[test]
    fn every_default_text_passes_its_own_checks_and_names_the_child_and_the_link() {
        for event in NotificationEvent::ALL {
            let text = event.default_text();
            let parsed = NotificationText::parse(*event, text.subject(), text.body())
                .unwrap_or_else(|p| panic!("{event:?}: {p:?}"));
            assert_eq!(parsed, text, "{event:?} is stored as written");
            let rendered = text.render(&values());
            assert!(rendered.subject.contains("Lex"), "{event:?}");
            assert!(!rendered.subject.contains("(("), "{event:?}");
            let body = rendered.paragraphs.join("\n");
            assert!(body.contains("https://portal.example/children/1/dashboard"));
            assert!(!body.contains("(("), "{event:?}");
            if event.is_statutory() {
                assert!(
                    body.contains("always send"),
                    "{event:?} says it cannot be off"
                );
            } else {
                assert!(body.contains("turn these emails off"), "{event:?}");
            }
        }
    }

    #[test]
    fn statutory_events_are_the_appealable_decisions_and_the_final_plan() {
        let statutory: Vec<_> = NotificationEvent::ALL
            .iter()
            .filter(|e| e.is_statutory())
            .copied()
            .collect();
        assert_eq!(
            statutory,
            [
                NotificationEvent::DecisionRecorded,
                NotificationEvent::FinalPlanIssued
            ]
        );
        for stage in [Stage::NotAssessed, Stage::NotIssued, Stage::PlanCeased] {
            assert!(
                NotificationEvent::of_stage(stage).is_statutory(),
                "{stage:?}"
            );
        }
        assert_eq!(
            NotificationEvent::of_stage(Stage::FinalPlan),
            NotificationEvent::FinalPlanIssued
        );
        assert_eq!(
            NotificationEvent::of_stage(Stage::DraftPlan),
            NotificationEvent::DraftPlanIssued
        );
        for stage in [Stage::DecisionToAssess, Stage::AssessmentAndAdvice] {
            assert_eq!(
                NotificationEvent::of_stage(stage),
                NotificationEvent::StageChanged
            );
        }
    }

    #[test]
    fn codes_round_trip() {
        for event in NotificationEvent::ALL {
            assert_eq!(event.code().parse::<NotificationEvent>().ok(), Some(*event));
        }
        assert!("something_else".parse::<NotificationEvent>().is_err());
    }

    #[test]
    fn rendering_fills_every_placeholder_and_splits_paragraphs() {
        let text = parse(
            "News about ((child_first_name)) from ((council_name))",
            "Something happened for ((child_first_name)).\r\n\r\nSee ((link))\nand sign in.",
        )
        .unwrap();
        let rendered = text.render(&values());
        assert_eq!(
            rendered.subject,
            "News about Lex from Testshire County Council"
        );
        assert_eq!(
            rendered.paragraphs,
            [
                "Something happened for Lex.",
                "See https://portal.example/children/1/dashboard and sign in."
            ]
        );
    }

    #[test]
    fn a_long_first_name_still_fits_an_email_subject() {
        let text = parse(&"x".repeat(80), "((link))").unwrap();
        let long = Values {
            child_first_name: "A".repeat(200),
            ..values()
        };
        let subject = parse(
            &format!("{} ((child_first_name))", "x".repeat(70)),
            "((link))",
        )
        .unwrap()
        .render(&long)
        .subject;
        assert_eq!(subject.chars().count(), crate::EmailSubject::MAX_CHARS);
        assert!(crate::EmailSubject::parse(&subject).is_ok());
        assert_eq!(text.render(&long).subject, "x".repeat(80));
    }

    #[test]
    fn problems_are_named_by_field() {
        let problems = parse("  ", "").unwrap_err();
        assert_eq!(
            problems,
            [
                TextProblem::Empty(TextField::Subject),
                TextProblem::Empty(TextField::Body)
            ]
        );
        assert_eq!(problems[0].to_string(), "Enter the subject");
        assert_eq!(problems[1].field().name(), "body");

        let problems = parse("Hello ((child_surname))", "Sign in: ((link)").unwrap_err();
        assert_eq!(
            problems,
            [
                TextProblem::UnknownPlaceholder(
                    TextField::Subject,
                    "child_surname".to_owned(),
                    NotificationEvent::StageChanged
                ),
                TextProblem::Unclosed(TextField::Body)
            ]
        );
        assert!(problems[0].to_string().contains("((child_surname))"));

        assert_eq!(
            parse("Hello", "No link here").unwrap_err(),
            [TextProblem::NoLink]
        );
        assert_eq!(
            parse("Two\nlines", "((link))").unwrap_err(),
            [TextProblem::NotOneLine]
        );
        assert_eq!(
            parse("Stray )) here", "((link))").unwrap_err(),
            [TextProblem::Unclosed(TextField::Subject)]
        );
        assert_eq!(
            parse(&"s".repeat(101), &"b".repeat(2001)).unwrap_err(),
            [
                TextProblem::TooLong(TextField::Subject, 100),
                TextProblem::TooLong(TextField::Body, 2000)
            ]
        );
        assert!(parse(&"s".repeat(100), "((link))").is_ok());
    }

    #[test]
    fn the_only_values_a_text_can_carry_are_the_first_name_the_link_and_the_council() {
        for placeholder in [
            "child_name",
            "child_last_name",
            "date_of_birth",
            "address",
            "recipient_email",
            "caseworker",
        ] {
            let subject = format!("(({placeholder}))");
            assert!(parse(&subject, "((link))").is_err(), "{placeholder}");
        }
        for placeholder in ["form_title", "when_due"] {
            let body = format!("(({placeholder})) ((link))");
            assert!(parse("Hello", &body).is_err(), "{placeholder} is for forms");
            assert!(
                NotificationText::parse(NotificationEvent::ActionSent, "Hello", &body).is_ok(),
                "{placeholder}"
            );
        }
        assert_eq!(
            Placeholder::all_in(NotificationEvent::StageChanged),
            [
                Placeholder::ChildFirstName,
                Placeholder::Link,
                Placeholder::CouncilName
            ]
        );
    }

    #[test]
    fn a_form_sent_says_its_title_and_when_it_is_due() {
        let rendered = NotificationEvent::ActionSent
            .default_text()
            .render(&values());
        assert_eq!(
            rendered.paragraphs[0],
            "The SEND team has sent you a form to complete about Lex: “Parental Preference \
             Form”. Please complete it by 19 December 2026."
        );
    }

    #[test]
    fn audiences_follow_the_link_role() {
        let setting = NotificationSetting {
            audiences: Audiences {
                families: true,
                professionals: false,
            },
            ..NotificationEvent::StageChanged.default_setting()
        };
        assert!(setting.sends_to(PortalRole::Parent));
        assert!(setting.sends_to(PortalRole::YoungPerson));
        assert!(!setting.sends_to(PortalRole::Professional));
        assert_eq!(
            setting.audiences.describe(),
            "Parents, carers and young people"
        );
        assert_eq!(Audiences::default().describe(), "Nobody");
        assert!(
            !NotificationEvent::AdviceReceived
                .default_audiences()
                .professionals
        );
    }

    #[test]
    fn a_person_cannot_turn_off_a_statutory_notification() {
        let off = [
            NotificationEvent::DecisionRecorded,
            NotificationEvent::StageChanged,
        ];
        assert_eq!(
            Choice::of(NotificationEvent::DecisionRecorded, &off),
            Choice::Always
        );
        assert!(Choice::of(NotificationEvent::DecisionRecorded, &off).sends());
        assert_eq!(
            Choice::of(NotificationEvent::StageChanged, &off),
            Choice::Off
        );
        assert!(!Choice::of(NotificationEvent::StageChanged, &off).sends());
        assert_eq!(
            Choice::of(NotificationEvent::MessageReceived, &off),
            Choice::On
        );
    }
}
