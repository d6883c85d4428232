//! Children's details as forms bring them: drawn from the records with the slips
//! families and professionals make, and a share for children the council does
//! not know.

use anyhow::Result;
use rand::Rng;
use send_domain::ChildId;
use send_domain::matching::ChildDetails;
use time::{Date, Month};

use send_bench::names;
use send_bench::world::{Generator, World};

/// What was done to a record's details before they were submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Exact,
    SurnameTypo,
    FirstNameTypo,
    DayMonthSwapped,
    Nickname,
    NamesSwapped,
    NewPostcode,
    Twin,
    /// A child with no record.
    NotKnown,
}

impl Kind {
    pub const ALL: [Self; 9] = [
        Self::Exact,
        Self::SurnameTypo,
        Self::FirstNameTypo,
        Self::DayMonthSwapped,
        Self::Nickname,
        Self::NamesSwapped,
        Self::NewPostcode,
        Self::Twin,
        Self::NotKnown,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Exact => "exact copy",
            Self::SurnameTypo => "surname typo",
            Self::FirstNameTypo => "first name typo",
            Self::DayMonthSwapped => "day and month swapped",
            Self::Nickname => "nickname",
            Self::NamesSwapped => "names swapped",
            Self::NewPostcode => "new postcode",
            Self::Twin => "a twin",
            Self::NotKnown => "no record",
        }
    }
}

/// How often each kind arrives, in percent of the submissions for known children.
const MIX: [(Kind, u32); 8] = [
    (Kind::Exact, 30),
    (Kind::SurnameTypo, 12),
    (Kind::FirstNameTypo, 6),
    (Kind::DayMonthSwapped, 10),
    (Kind::Nickname, 10),
    (Kind::NamesSwapped, 6),
    (Kind::NewPostcode, 14),
    (Kind::Twin, 12),
];

#[derive(Debug, Clone)]
pub struct Submission {
    pub kind: Kind,
    /// The child it is about, if the council has a record.
    pub child: Option<ChildId>,
    pub details: ChildDetails,
}

/// The day and month swapped, when that is another date.
fn swapped(date: Date) -> Option<Date> {
    let month = Month::try_from(date.day()).ok()?;
    Date::from_calendar_date(date.year(), month, u8::from(date.month()))
        .ok()
        .filter(|d| *d != date)
}

/// One slip of the keyboard after the first letter: a letter changed, left out,
/// added, or two swapped.
fn typo(generator: &mut Generator, name: &str) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    let letters: Vec<usize> = (1..chars.len())
        .filter(|&i| chars[i].is_alphabetic())
        .collect();
    if letters.is_empty() {
        return name.to_owned();
    }
    let rng = &mut generator.rng;
    let i = letters[rng.random_range(0..letters.len())];
    let old = chars[i].to_lowercase().next().unwrap_or(chars[i]);
    let mut new = char::from(b'a' + rng.random_range(0..26u8));
    while new == old {
        new = char::from(b'a' + rng.random_range(0..26u8));
    }
    match rng.random_range(0..4) {
        0 if letters.len() > 2 => {
            chars.remove(i);
        }
        1 => chars.insert(i, new),
        2 if i + 1 < chars.len() && chars[i + 1].is_alphabetic() && chars[i + 1] != chars[i] => {
            chars.swap(i, i + 1);
        }
        _ => chars[i] = new,
    }
    chars.into_iter().collect()
}

/// What a form says of child `index`: names, date of birth, and sometimes the
/// postcode, school, a parent and an identifier.
fn details_of(generator: &mut Generator, world: &World, index: usize) -> ChildDetails {
    let child = &world.children[index];
    let first = match &child.preferred_name {
        Some(preferred) if generator.chance(0.5) => preferred,
        _ => &child.legal_first_name,
    };
    let parents = &world.parents[index];
    ChildDetails {
        first_name: Some(first.to_string()),
        preferred_name: None,
        last_name: Some(child.legal_last_name.to_string()),
        date_of_birth: Some(child.date_of_birth),
        postcode: child
            .address
            .postcode
            .clone()
            .filter(|_| generator.chance(0.85)),
        setting: child
            .setting
            .as_ref()
            .map(ToString::to_string)
            .filter(|_| generator.chance(0.5)),
        upn: child.upn.clone().filter(|_| generator.chance(0.04)),
        uln: child.uln.clone().filter(|_| generator.chance(0.02)),
        nhs_number: child.nhs_number.clone().filter(|_| generator.chance(0.08)),
        parents: if !parents.is_empty() && generator.chance(0.6) {
            let i = generator.rng.random_range(0..parents.len());
            vec![parents[i].clone()]
        } else {
            Vec::new()
        },
    }
}

/// A child of the council picked at random, one that fits `fits` if any of a
/// thousand tries does.
fn some_child(
    generator: &mut Generator,
    world: &World,
    fits: impl Fn(usize) -> bool,
) -> Option<usize> {
    (0..1000)
        .map(|_| generator.rng.random_range(0..world.children.len()))
        .find(|&i| fits(i))
}

fn known(generator: &mut Generator, world: &World, kind: Kind) -> Option<Submission> {
    let (index, details) = match kind {
        Kind::Twin => {
            let (index, _) = world
                .twins
                .get(generator.rng.random_range(0..world.twins.len().max(1)))?;
            (*index, details_of(generator, world, *index))
        }
        Kind::Nickname => {
            let index = some_child(generator, world, |i| {
                names::short_forms(world.children[i].legal_first_name.as_str()).is_some()
            })?;
            let mut details = details_of(generator, world, index);
            let short = names::short_forms(world.children[index].legal_first_name.as_str())?;
            let i = generator.rng.random_range(0..short.len());
            details.first_name = Some(short[i].to_owned());
            (index, details)
        }
        Kind::DayMonthSwapped => {
            let index = some_child(generator, world, |i| {
                swapped(world.children[i].date_of_birth).is_some()
            })?;
            let mut details = details_of(generator, world, index);
            details.date_of_birth = details.date_of_birth.and_then(swapped);
            (index, details)
        }
        _ => {
            let index = generator.rng.random_range(0..world.children.len());
            let mut details = details_of(generator, world, index);
            match kind {
                Kind::SurnameTypo => {
                    details.last_name = details.last_name.map(|n| typo(generator, &n));
                }
                Kind::FirstNameTypo => {
                    details.first_name = details.first_name.map(|n| typo(generator, &n));
                }
                Kind::NamesSwapped => {
                    std::mem::swap(&mut details.first_name, &mut details.last_name);
                }
                Kind::NewPostcode => {
                    let now = world.children[index].address.postcode.as_ref();
                    details.postcode = Some(generator.postcode(now).0);
                }
                _ => {}
            }
            (index, details)
        }
    };
    Some(Submission {
        kind,
        child: Some(world.children[index].id),
        details,
    })
}

/// `count` submissions: a fifth for children with no record (a family of their
/// own, generated like the others), the rest for known children, mixed as [`MIX`].
pub fn submissions(
    generator: &mut Generator,
    world: &World,
    count: usize,
) -> Result<Vec<Submission>> {
    let mut out = Vec::with_capacity(count);
    let total: u32 = MIX.iter().map(|(_, weight)| weight).sum();
    while out.len() < count {
        if generator.chance(0.2) {
            let mut strangers = World::default();
            generator.family(&mut strangers)?;
            let details = details_of(generator, &strangers, 0);
            out.push(Submission {
                kind: Kind::NotKnown,
                child: None,
                details,
            });
            continue;
        }
        let mut roll = generator.rng.random_range(0..total);
        let kind = MIX
            .iter()
            .find(|(_, weight)| {
                let here = roll < *weight;
                roll = roll.saturating_sub(*weight);
                here
            })
            .map_or(Kind::Exact, |(kind, _)| *kind);
        let submission = match known(generator, world, kind) {
            Some(submission) => submission,
            None => known(generator, world, Kind::Exact)
                .ok_or_else(|| anyhow::anyhow!("no children to submit for"))?,
        };
        out.push(submission);
    }
    Ok(out)
}
