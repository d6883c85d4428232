//! The forms the portal ships (FRM-4). Each is published on first start under
//! its code; a council copies one to adapt it, and never edits the original.
//!
//! They are plain data, written for the person who fills them in: one question
//! a page (a page groups two or three only when they belong together, and then
//! has a heading), questions shown only when an earlier answer makes them
//! relevant, and branches past the pages that do not apply.
//!
//! Statutory periods quoted to the reader (DESIGN §3.1): the council decides
//! whether to assess within 6 weeks of a request (SEND Regulations 2014,
//! regulation 5); advice is given within 6 weeks (regulation 8); families have
//! at least 15 days to comment on a draft plan (regulation 13(1)) or on proposed
//! amendments (regulation 22(2)(c)); the final plan is issued within 20 weeks of
//! the request (regulation 13(2)) and a final amended plan within 8 weeks of the
//! amendment notice (regulation 22(3)).

use super::definition::{
    Audience, Branch, Condition, DateLimit, Destination, FormDefinition, FormPurpose, Page,
    PageKey, Question, QuestionKey, QuestionKind, Test, UploadLimits,
};

/// A form the portal ships, published on first start; councils copy and adapt it.
#[derive(Debug, Clone, PartialEq)]
pub struct Builtin {
    /// A stable code, such as `parental_preference`. Never change one.
    pub code: &'static str,
    pub definition: FormDefinition,
}

/// Every built-in form, in the order the council's list shows them.
pub fn builtins() -> Vec<Builtin> {
    vec![
        Builtin {
            code: "request_assessment_family",
            definition: request_assessment_family(),
        },
        Builtin {
            code: "request_assessment_professional",
            definition: request_assessment_professional(),
        },
        Builtin {
            code: "parental_preference",
            definition: parental_preference(),
        },
        Builtin {
            code: "all_about_me",
            definition: all_about_me(),
        },
        Builtin {
            code: "draft_plan_comments",
            definition: draft_plan_comments(),
        },
        Builtin {
            code: "amendment_comments",
            definition: amendment_comments(),
        },
        Builtin {
            code: "professional_advice",
            definition: professional_advice(),
        },
        Builtin {
            code: "annual_review_school",
            definition: annual_review_school(),
        },
    ]
}

// The answers conditions test, written once so a condition and its options
// cannot drift apart.
const YES: &str = "Yes";
const NO: &str = "No";
const YOUNG_PERSON: &str = "I am the young person";
const OTHER: &str = "Other";
const WITH_HELP: &str = "I am the child or young person, and someone is helping me";

/// Long answers from families.
const LONG: u32 = 5000;
/// Long answers from professionals, whose advice runs longer.
const ADVICE: u32 = 10_000;
/// Most files one upload question takes.
const MAX_FILES: u8 = 10;

const FAMILY_DECLARATION: &str =
    "I confirm that the information I have given is correct to the best of my knowledge.";

// ---------------------------------------------------------------------------
// 1. A request for an assessment from a parent, carer or young person.

#[expect(
    clippy::too_many_lines,
    reason = "a form is data: one entry per page, with its text"
)]
fn request_assessment_family() -> FormDefinition {
    FormDefinition {
        title: "Request an EHC needs assessment".to_owned(),
        description: "Use this form to ask the council to carry out an education, health and \
                      care (EHC) needs assessment. You can ask as the child's parent or carer, \
                      or as a young person aged 16 to 25 asking for yourself."
            .to_owned(),
        declaration: "I confirm that the information I have given is correct to the best of my \
                      knowledge, and I understand that the council will use it to decide \
                      whether to carry out an EHC needs assessment."
            .to_owned(),
        next_steps: "The council must tell you within 6 weeks of receiving your request \
                     whether it will carry out an EHC needs assessment. If it decides not to, \
                     it will tell you why and that you can appeal. The SEND team will \
                     contact you using the details you gave."
            .to_owned(),
        audiences: vec![Audience::Families],
        days_to_complete: 15,
        uploads: UploadLimits::default(),
        about_a_child: false,
        purpose: Some(FormPurpose::AssessmentRequest),
        pages: [
            vec![
                page(
                    ask(
                        "relationship",
                        "What is your relationship to the child or young person?",
                        choice(&["Parent", "Carer", YOUNG_PERSON, OTHER]),
                    )
                    .hint("A young person aged 16 to 25 can ask for an assessment for themselves."),
                ),
                page(ask(
                    "relationship_other",
                    "How do you know the child or young person?",
                    QuestionKind::ShortText,
                ))
                .when(is("relationship", OTHER)),
            ],
            child_details("If you are the young person, enter your own details."),
            vec![
                page(ask("your_name", "What is your name?", QuestionKind::Name))
                    .when(is_not("relationship", YOUNG_PERSON)),
                grouped(
                    "contact",
                    "Your contact details",
                    vec![
                        ask("email", "Email address", QuestionKind::Email)
                            .hint("We will use it to contact you about your request."),
                        ask("phone", "Telephone number", QuestionKind::Phone).optional(),
                    ],
                ),
                page(
                    ask(
                        "parental_responsibility",
                        "Do you have parental responsibility for the child or young person?",
                        QuestionKind::YesNo,
                    )
                    .hint(
                        "Mothers, and most fathers, have parental responsibility. A carer may \
                         have it through a court order.",
                    ),
                )
                .when(is_not("relationship", YOUNG_PERSON)),
                page(
                    ask(
                        "consent_to_share",
                        "Do you agree to the council sharing this request with the \
                         professionals it asks for advice?",
                        QuestionKind::YesNo,
                    )
                    .hint(
                        "For example, the school, health services, an educational \
                         psychologist and social care. They need to know about the child or \
                         young person to give advice about their needs.",
                    ),
                ),
                page(
                    ask(
                        "areas_of_need",
                        "Which of these do they need help with?",
                        QuestionKind::MultipleChoice {
                            options: strings(&[
                                "Communicating and getting on with others",
                                "Learning, such as reading, writing or maths",
                                "Feelings, behaviour or mental health",
                                "Hearing, sight or physical needs",
                            ]),
                            none_of_these: true,
                        },
                    )
                    .hint("Select all that apply."),
                ),
                page(
                    ask(
                        "finds_hard",
                        "What does the child or young person find hard?",
                        long(LONG),
                    )
                    .hint(
                        "Tell us about things they find hard at home, at school or when they \
                         are out, and how this affects them.",
                    ),
                ),
                page(
                    ask("what_helps", "What helps them?", long(LONG)).hint(
                        "Tell us about anything that helps, and any support they already get.",
                    ),
                ),
                page(
                    ask(
                        "professionals_involved",
                        "Are any other professionals involved with the child or young person?",
                        QuestionKind::YesNo,
                    )
                    .hint(
                        "For example, a speech and language therapist, a paediatrician, an \
                         educational psychologist or a social worker.",
                    ),
                )
                .branch(is("professionals_involved", NO), "reports"),
                page(ask(
                    "professionals",
                    "Tell us about the professionals involved",
                    QuestionKind::Repeating {
                        item: "professional".to_owned(),
                        questions: vec![
                            ask("professional_role", "Their job", QuestionKind::ShortText)
                                .hint("For example, speech and language therapist."),
                            ask("professional_name", "Their name", QuestionKind::ShortText)
                                .optional(),
                            ask(
                                "professional_organisation",
                                "Where they work",
                                QuestionKind::ShortText,
                            )
                            .optional(),
                            ask(
                                "professional_email",
                                "Their email address",
                                QuestionKind::Email,
                            )
                            .optional(),
                        ],
                        min_items: 1,
                        max_items: 20,
                    },
                )),
                page(
                    ask(
                        "reports",
                        "Upload any reports about the child or young person",
                        files(MAX_FILES),
                    )
                    .hint(
                        "For example, from a doctor, a therapist or an educational \
                         psychologist. You can upload up to 10 files.",
                    )
                    .optional(),
                ),
                anything_else(),
            ],
        ]
        .concat(),
    }
}

// ---------------------------------------------------------------------------
// 2. A request for an assessment from a professional.

#[expect(
    clippy::too_many_lines,
    reason = "a form is data: one entry per page, with its text"
)]
fn request_assessment_professional() -> FormDefinition {
    FormDefinition {
        title: "Request an EHC needs assessment as a professional".to_owned(),
        description: "Use this form to ask the council to carry out an education, health and \
                      care (EHC) needs assessment for a child or young person you work with. \
                      Include the evidence of the support your setting has already given."
            .to_owned(),
        declaration: "I confirm that the information I have given is correct to the best of my \
                      knowledge, and that I am making this request as part of my professional \
                      role."
            .to_owned(),
        next_steps: "The council must decide within 6 weeks of receiving the request whether \
                     it will carry out an EHC needs assessment, and will tell the child's \
                     parent or the young person. The SEND team will contact you if they need \
                     to know more."
            .to_owned(),
        audiences: vec![Audience::Professionals],
        days_to_complete: 15,
        uploads: UploadLimits::default(),
        about_a_child: false,
        purpose: Some(FormPurpose::AssessmentRequest),
        pages: [
            vec![grouped(
                "about_you",
                "About you",
                vec![
                    ask("your_role", "Your role", QuestionKind::ShortText)
                        .hint("For example, SENCO, health visitor or social worker."),
                    ask(
                        "your_setting",
                        "Your school, setting or organisation",
                        QuestionKind::ShortText,
                    ),
                ],
            )],
            child_details("Enter their name as it appears on your records."),
            vec![
                grouped(
                    "family_contact",
                    "Who the council should contact in the family",
                    vec![
                        ask("family_name", "Name", QuestionKind::Name).hint(
                            "The child's parent or carer, or the young person if they are 16 \
                             or over.",
                        ),
                        ask("family_email", "Email address", QuestionKind::Email).optional(),
                        ask("family_phone", "Telephone number", QuestionKind::Phone).optional(),
                    ],
                ),
                page(ask(
                    "family_told",
                    "Have you told the parent or young person that you are making this \
                     request?",
                    QuestionKind::YesNo,
                )),
                page(ask(
                    "family_agrees",
                    "Do they agree with the request?",
                    QuestionKind::YesNo,
                ))
                .when(is("family_told", YES)),
                page(ask(
                    "not_told_reason",
                    "Why have you not told them?",
                    long(LONG),
                ))
                .when(is("family_told", NO)),
                page(
                    ask(
                        "disagreement",
                        "Why do they not agree with the request?",
                        long(LONG),
                    )
                    .hint("Tell us what they have said, and why you are making the request."),
                )
                .when(is("family_agrees", NO)),
                page(
                    ask(
                        "needs",
                        "What are the child or young person's special educational needs?",
                        long(LONG),
                    )
                    .hint("Describe their needs and how they affect their learning and progress."),
                ),
                page(
                    ask(
                        "provision_made",
                        "What special educational provision has already been made for them?",
                        long(LONG),
                    )
                    .hint(
                        "Include the support, interventions and adjustments made, for how \
                         long, and what difference they made.",
                    ),
                ),
                page(
                    ask(
                        "apdr_evidence",
                        "Upload your evidence of assess, plan, do and review",
                        files(MAX_FILES),
                    )
                    .hint(
                        "For example, SEN support plans, the reviews of them and records of \
                         progress. You can upload up to 10 files.",
                    ),
                ),
                page(
                    ask(
                        "reports",
                        "Upload any reports from other professionals",
                        files(MAX_FILES),
                    )
                    .hint("You can upload up to 10 files.")
                    .optional(),
                ),
                anything_else(),
            ],
        ]
        .concat(),
    }
}

// ---------------------------------------------------------------------------
// 3. The Parental Preference Form.

fn parental_preference() -> FormDefinition {
    FormDefinition {
        title: "Parental Preference Form".to_owned(),
        description: "Tell us which school, college or other setting you would like named in \
                      the EHC plan, and why."
            .to_owned(),
        declaration: FAMILY_DECLARATION.to_owned(),
        next_steps: "The council will consider your preference and ask the school or setting \
                     whether it can meet the child or young person's needs. For most \
                     state-funded schools and colleges, the council must name the one you ask \
                     for unless it would not suit their age, ability or special educational \
                     needs, or would affect the education of others or the efficient use of \
                     resources. Your caseworker will tell you its decision."
            .to_owned(),
        audiences: vec![Audience::Families],
        days_to_complete: 15,
        uploads: UploadLimits::default(),
        about_a_child: true,
        purpose: None,
        pages: vec![
            page(
                ask(
                    "preferred_setting",
                    "Which school, college or other setting would you like named in the plan?",
                    QuestionKind::ShortText,
                )
                .hint("Give its full name and the town it is in."),
            ),
            page(ask(
                "setting_type",
                "What type of setting is it?",
                choice(&[
                    "Mainstream school",
                    "Special school",
                    "Mainstream school with resourced provision",
                    "Independent or non-maintained special school",
                    "Further education college",
                    OTHER,
                ]),
            )),
            page(ask(
                "setting_type_other",
                "Tell us what type of setting it is",
                QuestionKind::ShortText,
            ))
            .when(is("setting_type", OTHER)),
            page(
                ask("reasons", "Why would you like this setting?", long(LONG)).hint(
                    "Tell us how it would meet the child or young person's needs, and \
                     anything else that matters to you, such as the journey there.",
                ),
            ),
            page(ask(
                "visited_settings",
                "Have you visited or talked to any schools or settings?",
                QuestionKind::YesNo,
            ))
            .branch(is("visited_settings", NO), "anything_else"),
            page(ask(
                "settings",
                "Which schools or settings have you visited or talked to?",
                QuestionKind::Repeating {
                    item: "setting".to_owned(),
                    questions: vec![
                        ask(
                            "setting_name",
                            "Name of the setting",
                            QuestionKind::ShortText,
                        ),
                        ask("visited", "Have you visited it?", QuestionKind::YesNo),
                    ],
                    min_items: 1,
                    max_items: 10,
                },
            )),
            anything_else(),
        ],
    }
}

// ---------------------------------------------------------------------------
// 4. "All about me": section A of the plan, in the child's own words.

fn all_about_me() -> FormDefinition {
    let about_me =
        |key: &str, text: &str, hint: &str| page(ask(key, text, long(LONG)).hint(hint).optional());
    FormDefinition {
        title: "All about me".to_owned(),
        description: "Tell us about yourself: what you enjoy, what matters to you and how \
                      people can help you. What you write goes into section A of your EHC plan, \
                      in your own words where possible."
            .to_owned(),
        declaration: "I confirm that these are the views of the child or young person, in their \
                      own words where possible."
            .to_owned(),
        next_steps: "Your caseworker will read what you have written and use it in section A \
                     of the EHC plan, which is about your views, interests and hopes. You can \
                     check it and comment on it when the draft plan is sent to you."
            .to_owned(),
        audiences: vec![Audience::Families],
        days_to_complete: 15,
        uploads: UploadLimits::default(),
        about_a_child: true,
        purpose: None,
        pages: vec![
            page(ask(
                "filled_in_by",
                "Who is filling in this form?",
                choice(&[
                    "I am the child or young person",
                    WITH_HELP,
                    "I am a parent or carer, filling it in for them",
                ]),
            )),
            page(
                ask("helper", "Who is helping you?", QuestionKind::ShortText)
                    .hint("For example, 'Mum' or 'my teaching assistant'."),
            )
            .when(is("filled_in_by", WITH_HELP)),
            about_me(
                "admire",
                "What do people like and admire about me?",
                "If you are filling this in for your child, write what they would say.",
            ),
            about_me(
                "important_now",
                "What is important to me now?",
                "For example, people, activities, places or things I need every day.",
            ),
            about_me(
                "important_future",
                "What is important to me for the future?",
                "For example, where I want to live, learn or work, and who with.",
            ),
            page(
                ask("support_me", "How can people best support me?", long(LONG))
                    .hint("For example, what helps me learn, and what helps when I am upset."),
            ),
            about_me(
                "communicate",
                "How do I communicate?",
                "For example, talking, signing, symbols or a device, and how people can tell \
                 how I am feeling.",
            ),
            about_me(
                "hopes_and_dreams",
                "What are my hopes and dreams?",
                "Anything you would like to do or be.",
            ),
            page(
                ask(
                    "picture",
                    "Would you like to add a picture or document?",
                    files(5),
                )
                .hint(
                    "For example, a drawing, a photo or a one-page profile. You can upload up \
                     to 5 files.",
                )
                .optional(),
            ),
        ],
    }
}

// ---------------------------------------------------------------------------
// 5. Comments on the draft plan (regulation 13(1)).

fn draft_plan_comments() -> FormDefinition {
    FormDefinition {
        title: "Comments on the draft EHC plan".to_owned(),
        description: "Tell us what you think of the draft EHC plan, which school, college or \
                      other setting you would like named in it, and whether you would like a \
                      meeting to discuss it. You have at least 15 days from when the draft plan \
                      was sent to you."
            .to_owned(),
        declaration: FAMILY_DECLARATION.to_owned(),
        next_steps: "The council will consider your comments, and any school or setting you \
                     have asked for, before it issues the final EHC plan. The final plan must \
                     be issued within 20 weeks of the council receiving the request for an \
                     assessment. If you asked for a meeting, your caseworker will contact you \
                     to arrange it."
            .to_owned(),
        audiences: vec![Audience::Families],
        days_to_complete: 15,
        uploads: UploadLimits::default(),
        about_a_child: true,
        purpose: None,
        pages: vec![
            page(ask(
                "agree_with_draft",
                "Do you agree with the draft EHC plan?",
                QuestionKind::YesNo,
            )),
            page(ask(
                "section_comments",
                "What would you like changed in the draft plan?",
                QuestionKind::Repeating {
                    item: "comment".to_owned(),
                    questions: vec![
                        ask(
                            "section",
                            "Which section is it about?",
                            choice(PLAN_SECTIONS),
                        ),
                        ask(
                            "comment",
                            "What would you like changed, and why?",
                            long(LONG),
                        ),
                    ],
                    min_items: 1,
                    max_items: 20,
                },
            ))
            .when(is("agree_with_draft", NO)),
            page(
                ask(
                    "other_comments",
                    "Is there anything else you want to say about the draft plan?",
                    long(LONG),
                )
                .optional(),
            ),
            page(
                ask(
                    "preferred_setting",
                    "Which school, college or other setting would you like named in the final \
                     plan?",
                    QuestionKind::ShortText,
                )
                .hint(
                    "The draft plan does not name one. Leave this blank if you have already \
                     told us, for example on a Parental Preference Form.",
                )
                .optional(),
            ),
            page(ask(
                "meeting",
                "Would you like a meeting with the council to discuss the draft plan?",
                QuestionKind::YesNo,
            )),
            page(
                ask(
                    "reports",
                    "Upload any reports or documents that support your comments",
                    files(MAX_FILES),
                )
                .hint("You can upload up to 10 files.")
                .optional(),
            ),
        ],
    }
}

/// The sections of an EHC plan (DESIGN §3.3), as a family would name them.
const PLAN_SECTIONS: &[&str] = &[
    "Section A: views, interests and aspirations",
    "Section B: special educational needs",
    "Section C: health needs",
    "Section D: social care needs",
    "Section E: outcomes",
    "Section F: special educational provision",
    "Section G: health provision",
    "Section H1 or H2: social care provision",
    "Section I: school or other setting",
    "Section J: personal budget",
    "Section K: advice and information",
];

// ---------------------------------------------------------------------------
// 6. Comments on proposed amendments after an annual review (regulation 22).

fn amendment_comments() -> FormDefinition {
    FormDefinition {
        title: "Comments on proposed changes to the EHC plan".to_owned(),
        description: "After the annual review, the council has sent you the changes it proposes \
                      to make to the EHC plan. Tell us what you think of them. You have at \
                      least 15 days from when the proposed changes were sent to you."
            .to_owned(),
        declaration: FAMILY_DECLARATION.to_owned(),
        next_steps: "The council will consider your comments before it decides on the changes. \
                     If it goes ahead, it must send you the final amended plan within 8 weeks \
                     of sending you the proposed changes. If you asked for a meeting, your \
                     caseworker will contact you to arrange it."
            .to_owned(),
        audiences: vec![Audience::Families],
        days_to_complete: 15,
        uploads: UploadLimits::default(),
        about_a_child: true,
        purpose: None,
        pages: vec![
            page(ask(
                "agree_with_changes",
                "Do you agree with the proposed changes?",
                QuestionKind::YesNo,
            )),
            page(
                ask(
                    "disagree_comments",
                    "What do you disagree with, and why?",
                    long(LONG),
                )
                .hint("Say which section of the plan each comment is about."),
            )
            .when(is("agree_with_changes", NO)),
            page(
                ask(
                    "other_comments",
                    "Is there anything else you want to say about the proposed changes?",
                    long(LONG),
                )
                .optional(),
            ),
            page(ask(
                "change_setting",
                "Would you like a different school, college or other setting named in the plan?",
                QuestionKind::YesNo,
            )),
            grouped(
                "preferred_setting",
                "The school or setting you would like",
                vec![
                    ask(
                        "preferred_setting",
                        "Name of the school or setting",
                        QuestionKind::ShortText,
                    )
                    .hint("Give its full name and the town it is in."),
                    ask(
                        "preferred_setting_reasons",
                        "Why would you like this school or setting?",
                        long(LONG),
                    ),
                ],
            )
            .when(is("change_setting", YES)),
            page(ask(
                "meeting",
                "Would you like a meeting with the council to discuss the proposed changes?",
                QuestionKind::YesNo,
            )),
            page(
                ask(
                    "reports",
                    "Upload any reports or documents that support your comments",
                    files(MAX_FILES),
                )
                .hint("You can upload up to 10 files.")
                .optional(),
            ),
        ],
    }
}

// ---------------------------------------------------------------------------
// 7. Advice for an assessment (regulations 6 and 8).

#[expect(
    clippy::too_many_lines,
    reason = "a form is data: one entry per page, with its text"
)]
fn professional_advice() -> FormDefinition {
    FormDefinition {
        title: "Advice for an EHC needs assessment".to_owned(),
        description: "Give your advice about the child or young person's needs, the outcomes \
                      sought for them and the provision they need. You should send it within 6 \
                      weeks of the council asking for it."
            .to_owned(),
        declaration: "I confirm that this advice is my professional opinion, and that the \
                      information in it is correct to the best of my knowledge."
            .to_owned(),
        next_steps: "The council will consider your advice with the rest of the advice it has \
                     gathered, and share it with the child's parent or the young person. If \
                     the council issues an EHC plan, your advice will be listed in section K."
            .to_owned(),
        audiences: vec![Audience::Professionals],
        days_to_complete: 42,
        uploads: UploadLimits::default(),
        about_a_child: true,
        purpose: Some(FormPurpose::Advice),
        pages: vec![
            page(ask(
                "advice_type",
                "What type of advice are you giving?",
                choice(&[
                    "Educational",
                    "Health",
                    "Social care",
                    "Psychological",
                    OTHER,
                ]),
            )),
            page(ask(
                "advice_type_other",
                "Tell us what type of advice it is",
                QuestionKind::ShortText,
            ))
            .when(is("advice_type", OTHER)),
            grouped(
                "about_you",
                "About you",
                vec![
                    ask("your_name", "Your name", QuestionKind::Name),
                    ask("your_role", "Your role", QuestionKind::ShortText)
                        .hint("For example, educational psychologist, paediatrician or SENCO."),
                    ask(
                        "your_organisation",
                        "Your organisation",
                        QuestionKind::ShortText,
                    ),
                ],
            ),
            page(
                ask(
                    "seen_on",
                    "When did you last see the child or young person?",
                    QuestionKind::Date {
                        limit: DateLimit::PastOrToday,
                    },
                )
                .hint("For example, 27 3 2026"),
            ),
            page(
                ask(
                    "special_educational_needs",
                    "What are the child or young person's special educational needs?",
                    long(ADVICE),
                )
                .hint("Describe their needs and what they can do, from your assessment."),
            ),
            page(
                ask(
                    "outcomes",
                    "What outcomes should be sought for them?",
                    long(ADVICE),
                )
                .hint(
                    "Outcomes are the differences that support should make to them, such as \
                     what they will be able to do by the end of a key stage.",
                ),
            ),
            page(
                ask(
                    "provision",
                    "What provision do they need to achieve these outcomes?",
                    long(ADVICE),
                )
                .hint("Be specific: what support, who gives it, how often and for how long."),
            ),
            page(
                ask(
                    "health_social_care",
                    "What health or social care needs do they have, if any?",
                    long(ADVICE),
                )
                .hint("Leave this blank if they have none that you know of.")
                .optional(),
            ),
            page(
                ask("reports", "Upload your report", files(MAX_FILES))
                    .hint(
                        "If you have written a full report, or have other reports to share, \
                         upload them here. You can upload up to 10 files.",
                    )
                    .optional(),
            ),
        ],
    }
}

// ---------------------------------------------------------------------------
// 8. The school's or setting's contribution to an annual review.

fn annual_review_school() -> FormDefinition {
    FormDefinition {
        title: "Annual review: contribution from the school or setting".to_owned(),
        description: "Tell us how the child or young person is getting on towards the outcomes \
                      in their EHC plan, and whether the plan should change."
            .to_owned(),
        declaration: "I confirm that the information I have given is correct to the best of my \
                      knowledge, and that it can be shared with everyone invited to the review \
                      meeting."
            .to_owned(),
        next_steps: "Your contribution will be sent to everyone invited to the review meeting \
                     at least 2 weeks before it. After the meeting, the council must decide \
                     within 4 weeks whether to keep the plan as it is, change it or end it."
            .to_owned(),
        audiences: vec![Audience::Professionals],
        days_to_complete: 14,
        uploads: UploadLimits::default(),
        about_a_child: true,
        purpose: None,
        pages: vec![
            page(
                ask(
                    "review_meeting_date",
                    "What is the date of the review meeting?",
                    QuestionKind::Date {
                        limit: DateLimit::Any,
                    },
                )
                .hint("For example, 27 3 2026"),
            ),
            page(ask(
                "outcomes_progress",
                "What progress have they made towards each outcome in the plan?",
                QuestionKind::Repeating {
                    item: "outcome".to_owned(),
                    questions: vec![
                        ask("outcome", "The outcome, as written in the plan", long(1000)),
                        ask(
                            "progress",
                            "How much progress have they made?",
                            choice(&[
                                "Achieved",
                                "On track",
                                "Partly achieved",
                                "Not yet achieved",
                            ]),
                        ),
                        ask("evidence", "What is the evidence?", long(2000)),
                    ],
                    min_items: 1,
                    max_items: 20,
                },
            )),
            page(
                ask(
                    "attendance",
                    "What is their attendance this school year, as a percentage?",
                    QuestionKind::Number {
                        whole: false,
                        min: Some(0.0),
                        max: Some(100.0),
                    },
                )
                .hint("For example, 93.5"),
            ),
            page(
                ask(
                    "current_provision",
                    "What provision is in place for them now?",
                    long(LONG),
                )
                .hint(
                    "Describe the support they get, who gives it and how often, and say if \
                     any provision in the plan is not being made.",
                ),
            ),
            page(ask(
                "changes_recommended",
                "Do you recommend any changes to the EHC plan?",
                QuestionKind::YesNo,
            )),
            page(
                ask(
                    "recommended_changes",
                    "What changes do you recommend, and why?",
                    long(LONG),
                )
                .hint("Say which section of the plan each change is about."),
            )
            .when(is("changes_recommended", YES)),
            page(
                ask("reports", "Upload any reports", files(MAX_FILES))
                    .hint("For example, assessments or reviews. You can upload up to 10 files.")
                    .optional(),
            ),
        ],
    }
}

// ---------------------------------------------------------------------------
// Pages shared by several forms.

/// The child's details, as a family or a professional knows them.
fn child_details(name_hint: &str) -> Vec<Page> {
    vec![
        page(
            ask(
                "child_name",
                "What is the child or young person's name?",
                QuestionKind::Name,
            )
            .hint(name_hint),
        ),
        page(
            ask(
                "child_date_of_birth",
                "What is their date of birth?",
                QuestionKind::Date {
                    limit: DateLimit::PastOrToday,
                },
            )
            .hint("For example, 27 3 2015"),
        ),
        page(ask(
            "child_address",
            "What is their address?",
            QuestionKind::Address,
        )),
        page(
            ask(
                "attends_setting",
                "Do they go to a nursery, school or college?",
                QuestionKind::YesNo,
            )
            .hint("Answer no if they are educated at home or not in education at the moment."),
        ),
        page(ask(
            "setting_name",
            "Which nursery, school or college do they go to?",
            QuestionKind::ShortText,
        ))
        .when(is("attends_setting", YES)),
    ]
}

fn anything_else() -> Page {
    page(
        ask(
            "anything_else",
            "Is there anything else you want to tell us?",
            long(LONG),
        )
        .optional(),
    )
}

// ---------------------------------------------------------------------------
// Small builders, so each form reads as a list of questions.

/// A required question with no hint, always shown.
fn ask(key: &str, text: &str, kind: QuestionKind) -> Question {
    Question {
        key: QuestionKey::new(key),
        text: text.to_owned(),
        hint: None,
        required: true,
        kind,
        show_when: None,
    }
}

trait QuestionExt {
    fn hint(self, hint: &str) -> Self;
    fn optional(self) -> Self;
}

impl QuestionExt for Question {
    fn hint(self, hint: &str) -> Self {
        Self {
            hint: Some(hint.to_owned()),
            ..self
        }
    }

    fn optional(self) -> Self {
        Self {
            required: false,
            ..self
        }
    }
}

/// A page of one question, keyed by it (the question is the page's heading).
fn page(question: Question) -> Page {
    Page {
        key: PageKey::new(question.key.as_str()),
        heading: None,
        questions: vec![question],
        show_when: None,
        branches: Vec::new(),
    }
}

/// A page of questions that belong together, under a heading.
fn grouped(key: &str, heading: &str, questions: Vec<Question>) -> Page {
    Page {
        key: PageKey::new(key),
        heading: Some(heading.to_owned()),
        questions,
        show_when: None,
        branches: Vec::new(),
    }
}

trait PageExt {
    fn when(self, condition: Condition) -> Self;
    fn branch(self, when: Condition, to_page: &str) -> Self;
}

impl PageExt for Page {
    /// The page is shown only when `condition` holds.
    fn when(self, condition: Condition) -> Self {
        Self {
            show_when: Some(condition),
            ..self
        }
    }

    /// After this page, go to `to_page` when `when` holds.
    fn branch(mut self, when: Condition, to_page: &str) -> Self {
        self.branches.push(Branch {
            when,
            to: Destination::Page(PageKey::new(to_page)),
        });
        self
    }
}

fn is(key: &str, value: &str) -> Condition {
    Condition {
        question: QuestionKey::new(key),
        test: Test::Is {
            value: value.to_owned(),
        },
    }
}

fn is_not(key: &str, value: &str) -> Condition {
    Condition {
        question: QuestionKey::new(key),
        test: Test::IsNot {
            value: value.to_owned(),
        },
    }
}

fn strings(options: &[&str]) -> Vec<String> {
    options.iter().map(|&o| o.to_owned()).collect()
}

fn choice(options: &[&str]) -> QuestionKind {
    QuestionKind::SingleChoice {
        options: strings(options),
    }
}

fn long(max_chars: u32) -> QuestionKind {
    QuestionKind::LongText { max_chars }
}

/// Any kind of file the portal accepts, up to `max_files` of them.
fn files(max_files: u8) -> QuestionKind {
    QuestionKind::FileUpload {
        max_files,
        kinds: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn form(code: &str) -> FormDefinition {
        builtins()
            .into_iter()
            .find(|b| b.code == code)
            .unwrap_or_else(|| panic!("no built-in form {code}"))
            .definition
    }

    /// Every question of a form, with the position of its page, and those inside
    /// repeating groups too (with the position of the group's page).
    fn all_questions(form: &FormDefinition) -> Vec<(usize, &Question)> {
        let mut all = Vec::new();
        for (index, page) in form.pages.iter().enumerate() {
            for question in &page.questions {
                all.push((index, question));
                if let QuestionKind::Repeating { questions, .. } = &question.kind {
                    all.extend(questions.iter().map(|inner| (index, inner)));
                }
            }
        }
        all
    }

    /// A problem with a condition, or `None`: the question it tests must be a
    /// top-level question on a page before `last_page` (on or before it, for a
    /// branch: `inclusive`), and the test must suit that question's type.
    fn condition_problem(
        form: &FormDefinition,
        condition: &Condition,
        last_page: usize,
        inclusive: bool,
    ) -> Option<String> {
        let Some((index, tested)) = form.question(&condition.question) else {
            return Some(format!(
                "tests {}, not a top-level question",
                condition.question
            ));
        };
        if index > last_page || (index == last_page && !inclusive) {
            return Some(format!("tests {}, on a later page", condition.question));
        }
        let choices = tested.kind.choices().unwrap_or_default();
        let single = matches!(
            tested.kind,
            QuestionKind::YesNo | QuestionKind::SingleChoice { .. }
        );
        let multiple = matches!(tested.kind, QuestionKind::MultipleChoice { .. });
        let ok = match &condition.test {
            Test::Is { value } | Test::IsNot { value } => single && choices.contains(value),
            Test::Includes { value } | Test::Excludes { value } => {
                multiple && choices.contains(value)
            }
            Test::Between { .. } => matches!(tested.kind, QuestionKind::Number { .. }),
        };
        (!ok).then(|| {
            format!(
                "{:?} does not suit {} ({})",
                condition.test,
                condition.question,
                tested.kind.label()
            )
        })
    }

    #[test]
    fn codes_are_unique_keys() {
        let codes: Vec<&str> = builtins().iter().map(|b| b.code).collect();
        assert_eq!(codes.len(), 8);
        let unique: BTreeSet<&str> = codes.iter().copied().collect();
        assert_eq!(unique.len(), codes.len(), "{codes:?}");
        for code in codes {
            assert!(QuestionKey::parse(code).is_some(), "{code}");
        }
    }

    #[test]
    fn every_key_is_valid_and_unique_in_its_form() {
        for Builtin { code, definition } in builtins() {
            let mut pages = BTreeSet::new();
            for page in &definition.pages {
                assert!(PageKey::parse(page.key.as_str()).is_some(), "{code}");
                assert!(pages.insert(page.key.clone()), "{code}: page {}", page.key);
            }
            let top: Vec<&QuestionKey> = definition.questions().map(|q| &q.key).collect();
            let top_set: BTreeSet<&QuestionKey> = top.iter().copied().collect();
            assert_eq!(top_set.len(), top.len(), "{code}: {top:?}");
            for (_, question) in all_questions(&definition) {
                assert!(
                    QuestionKey::parse(question.key.as_str()).is_some(),
                    "{code}: {}",
                    question.key
                );
            }
            for question in definition.questions() {
                if let QuestionKind::Repeating { questions, .. } = &question.kind {
                    let mut inner = BTreeSet::new();
                    for q in questions {
                        assert!(inner.insert(&q.key), "{code}: {} twice", q.key);
                        assert!(
                            !top_set.contains(&q.key),
                            "{code}: {} is also a top-level key",
                            q.key
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn every_condition_tests_an_option_of_an_earlier_question() {
        let mut conditions = 0;
        for Builtin { code, definition } in builtins() {
            for (index, page) in definition.pages.iter().enumerate() {
                let mut shown_when: Vec<&Condition> = page.show_when.iter().collect();
                shown_when.extend(page.questions.iter().filter_map(|q| q.show_when.as_ref()));
                for condition in shown_when {
                    conditions += 1;
                    let problem = condition_problem(&definition, condition, index, false);
                    assert_eq!(problem, None, "{code}, page {}", page.key);
                }
                for branch in &page.branches {
                    conditions += 1;
                    let problem = condition_problem(&definition, &branch.when, index, true);
                    assert_eq!(problem, None, "{code}, branch after {}", page.key);
                }
            }
            for (index, question) in all_questions(&definition) {
                if let Some(condition) = &question.show_when {
                    let problem = condition_problem(&definition, condition, index, false);
                    assert_eq!(problem, None, "{code}, question {}", question.key);
                }
            }
        }
        assert!(conditions >= 15, "the forms use conditions: {conditions}");
    }

    #[test]
    fn the_condition_check_finds_bad_conditions() {
        // The check above must be able to fail: a later page, a missing option,
        // a test that does not suit the type.
        let request = form("request_assessment_family");
        let (relationship, _) = request.question(&QuestionKey::new("relationship")).unwrap();
        assert!(
            condition_problem(&request, &is("relationship", OTHER), relationship, false).is_some()
        );
        assert!(condition_problem(&request, &is("relationship", "Aunt"), 5, false).is_some());
        assert!(condition_problem(&request, &is("child_name", YES), 9, false).is_some());
        assert!(condition_problem(&request, &is("professional_role", YES), 20, true).is_some());
        assert_eq!(
            condition_problem(&request, &is("relationship", OTHER), relationship, true),
            None
        );
    }

    #[test]
    fn every_branch_goes_forward_to_a_page_that_exists() {
        let mut branches = 0;
        for Builtin { code, definition } in builtins() {
            for (index, page) in definition.pages.iter().enumerate() {
                for branch in &page.branches {
                    branches += 1;
                    if let Destination::Page(to) = &branch.to {
                        let target = definition.page(to).map(|(at, _)| at);
                        assert!(
                            target.is_some_and(|at| at > index),
                            "{code}: {} goes to {to}",
                            page.key
                        );
                    }
                }
            }
        }
        assert!(branches >= 2, "the forms use branches: {branches}");
    }

    #[test]
    fn no_question_is_a_lookup_and_every_audience_is_in_the_portal() {
        for Builtin { code, definition } in builtins() {
            for (_, question) in all_questions(&definition) {
                assert!(
                    !matches!(question.kind, QuestionKind::Lookup { .. }),
                    "{code}: {}",
                    question.key
                );
            }
            assert!(!definition.audiences.is_empty(), "{code}");
            assert!(definition.audiences.iter().all(|a| a.in_portal()), "{code}");
        }
    }

    #[test]
    fn every_form_says_what_it_is_for_and_what_happens_next() {
        for Builtin { code, definition } in builtins() {
            for text in [
                &definition.title,
                &definition.description,
                &definition.declaration,
                &definition.next_steps,
            ] {
                assert!(!text.trim().is_empty(), "{code}");
                assert!(!text.contains("  "), "{code}: {text:?}");
            }
            assert!(!definition.pages.is_empty(), "{code}");
        }
    }

    #[test]
    fn pages_and_questions_are_well_formed() {
        for Builtin { code, definition } in builtins() {
            for page in &definition.pages {
                assert!(
                    (1..=3).contains(&page.questions.len()),
                    "{code}: {} has {} questions",
                    page.key,
                    page.questions.len()
                );
                assert_eq!(
                    page.heading.is_some(),
                    page.questions.len() > 1,
                    "{code}: a page of several questions has a heading ({})",
                    page.key
                );
            }
            for (_, question) in all_questions(&definition) {
                let at = format!("{code}: {}", question.key);
                assert!(!question.text.trim().is_empty(), "{at}");
                assert!(
                    question.hint.as_ref().is_none_or(|h| !h.trim().is_empty()),
                    "{at}"
                );
                match &question.kind {
                    QuestionKind::LongText { max_chars } => {
                        assert!((500..=10_000).contains(max_chars), "{at}");
                    }
                    QuestionKind::Number { min, max, .. } => {
                        assert!(min.zip(*max).is_none_or(|(lo, hi)| lo <= hi), "{at}");
                    }
                    QuestionKind::SingleChoice { options }
                    | QuestionKind::MultipleChoice { options, .. } => {
                        let unique: BTreeSet<&String> = options.iter().collect();
                        assert!(options.len() >= 2 && unique.len() == options.len(), "{at}");
                    }
                    QuestionKind::FileUpload { max_files, .. } => {
                        assert!((1..=MAX_FILES).contains(max_files), "{at}");
                    }
                    QuestionKind::Repeating {
                        item,
                        questions,
                        min_items,
                        max_items,
                    } => {
                        assert!(!item.is_empty() && !questions.is_empty(), "{at}");
                        assert!(min_items <= max_items && *max_items > 0, "{at}");
                        assert!(
                            questions.iter().all(|q| {
                                q.show_when.is_none()
                                    && !matches!(q.kind, QuestionKind::Repeating { .. })
                            }),
                            "{at}: no groups in groups, no conditions inside a group"
                        );
                    }
                    _ => {}
                }
            }
        }
    }

    #[test]
    fn each_form_has_its_audience_and_time_to_complete() {
        use Audience::{Families, Professionals};
        for (code, audience, about_a_child, days) in [
            ("request_assessment_family", Families, false, None),
            (
                "request_assessment_professional",
                Professionals,
                false,
                None,
            ),
            ("parental_preference", Families, true, Some(15)),
            ("all_about_me", Families, true, Some(15)),
            // SEND Regulations 2014, regulation 13(1): at least 15 days.
            ("draft_plan_comments", Families, true, Some(15)),
            // Regulation 22(2)(c): at least 15 days.
            ("amendment_comments", Families, true, Some(15)),
            // Regulation 8: six weeks.
            ("professional_advice", Professionals, true, Some(42)),
            ("annual_review_school", Professionals, true, Some(14)),
        ] {
            let definition = form(code);
            assert_eq!(definition.audiences, [audience], "{code}");
            assert_eq!(definition.about_a_child, about_a_child, "{code}");
            if let Some(days) = days {
                assert_eq!(definition.days_to_complete, days, "{code}");
            }
        }
    }

    #[test]
    fn dates_of_birth_and_visits_are_in_the_past() {
        for (code, key) in [
            ("request_assessment_family", "child_date_of_birth"),
            ("request_assessment_professional", "child_date_of_birth"),
            ("professional_advice", "seen_on"),
        ] {
            let definition = form(code);
            let (_, question) = definition.question(&QuestionKey::new(key)).unwrap();
            assert_eq!(
                question.kind,
                QuestionKind::Date {
                    limit: DateLimit::PastOrToday
                },
                "{code}: {key}"
            );
        }
    }

    #[test]
    fn a_family_is_asked_about_professionals_only_if_there_are_some() {
        let request = form("request_assessment_family");
        let (involved, page) = request
            .question(&QuestionKey::new("professionals_involved"))
            .map(|(at, _)| (at, &request.pages[at]))
            .unwrap();
        let (group, _) = request
            .question(&QuestionKey::new("professionals"))
            .unwrap();
        assert_eq!(group, involved + 1, "the group follows the question");
        let past_group = page
            .branches
            .iter()
            .find(|b| b.when == is("professionals_involved", NO))
            .map(|b| &b.to);
        let Some(Destination::Page(to)) = past_group else {
            panic!("no branch past the group: {past_group:?}");
        };
        assert!(request.page(to).is_some_and(|(at, _)| at > group));
    }

    #[test]
    fn a_young_person_asking_for_themselves_is_not_asked_about_parents() {
        let request = form("request_assessment_family");
        for key in ["your_name", "parental_responsibility"] {
            let (at, _) = request.question(&QuestionKey::new(key)).unwrap();
            assert_eq!(
                request.pages[at].show_when,
                Some(is_not("relationship", YOUNG_PERSON)),
                "{key}"
            );
        }
        // The email address is always asked: it is how the SEND team replies.
        let (at, email) = request.question(&QuestionKey::new("email")).unwrap();
        assert!(email.required && request.pages[at].show_when.is_none());
    }

    #[test]
    fn definitions_round_trip_through_json() {
        for Builtin { code, definition } in builtins() {
            let json = serde_json::to_string(&definition).unwrap();
            let back: FormDefinition = serde_json::from_str(&json).unwrap();
            assert_eq!(back, definition, "{code}");
        }
    }
}
