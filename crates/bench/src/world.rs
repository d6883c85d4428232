//! A council's children, generated from a seed: families of one to four
//! children (some twins) sharing a surname, an address and parents, born over
//! 25 years, with schools by age and identifiers valid by their check digits.

use std::collections::HashSet;

use anyhow::{Context, Result};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use send_domain::{
    Address, Child, ChildId, ContactId, DEFAULT_TEAM, FamilyContact, NhsNumber, PersonName,
    Postcode, SenNeed, Sex, ShortText, Uln, Upn,
};
use time::macros::{date, datetime};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::names;

/// The day the submissions arrive; children are born in the 25 years before it.
pub const TODAY: Date = date!(2026 - 12 - 01);
/// When the records were added.
pub const ADDED: OffsetDateTime = datetime!(2026-01-05 09:00 UTC);
const DAYS_OF_BIRTH: i64 = 25 * 365 + 6;

/// Children's records and what else is known of each (same index in every list).
#[derive(Debug, Default)]
pub struct World {
    pub children: Vec<Child>,
    /// The family contacts recorded with each child (none for about a third).
    pub contacts: Vec<Vec<FamilyContact>>,
    /// The parents' names, recorded or not: what a family writes on a form.
    pub parents: Vec<Vec<String>>,
    /// Each child with a twin, and the twin.
    pub twins: Vec<(usize, usize)>,
    /// The family each child belongs to (numbered from 0 in order): siblings
    /// share their parents and address.
    pub families: Vec<usize>,
}

impl World {
    pub fn contacts_count(&self) -> usize {
        self.contacts.iter().map(Vec::len).sum()
    }
}

/// Picks an index of a list of `len`, weighted `1 / (rank + offset)` like real
/// name frequencies: the first few are common, the rest a long tail.
#[derive(Debug)]
struct Weighted {
    cumulative: Vec<f64>,
}

impl Weighted {
    fn new(len: usize, offset: f64) -> Self {
        let mut total = 0.0;
        let cumulative = (0..len)
            .map(|rank| {
                total += 1.0 / (f64::from(u32::try_from(rank).unwrap_or(u32::MAX)) + offset);
                total
            })
            .collect();
        Self { cumulative }
    }

    fn pick(&self, rng: &mut StdRng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.random::<f64>() * total;
        self.cumulative
            .partition_point(|&c| c <= x)
            .min(self.cumulative.len() - 1)
    }
}

#[derive(Debug)]
pub struct Generator {
    pub rng: StdRng,
    boys: Weighted,
    girls: Weighted,
    surnames: Weighted,
    postcodes: Vec<(Postcode, &'static str)>,
    nurseries: Vec<String>,
    primaries: Vec<String>,
    secondaries: Vec<String>,
    colleges: Vec<String>,
    identifiers: HashSet<String>,
}

/// One of `list`, uniformly.
pub fn pick<'a, T>(rng: &mut StdRng, list: &'a [T]) -> &'a T {
    &list[rng.random_range(0..list.len())]
}

/// A random (version 4) id from `rng`, so ids follow the seed.
pub fn new_uuid(rng: &mut StdRng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.random::<u128>().to_le_bytes()).into_uuid()
}

fn settings(rng: &mut StdRng, kinds: &[&str], count: usize) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(count);
    let mut seen = HashSet::new();
    while names.len() < count && seen.len() < names::SCHOOL_PLACES.len() * kinds.len() {
        let name = format!("{} {}", pick(rng, names::SCHOOL_PLACES), pick(rng, kinds));
        if seen.insert(name.clone()) {
            names.push(name);
        }
    }
    names
}

impl Generator {
    /// A generator for about `children` children: one postcode for every ten or so.
    pub fn new(seed: u64, children: usize) -> Result<Self> {
        let mut rng = StdRng::seed_from_u64(seed);
        let wanted = (children / 10).max(200);
        let mut taken = HashSet::new();
        let mut postcodes = Vec::with_capacity(wanted);
        let districts: usize = names::POSTCODE_AREAS
            .iter()
            .map(|(_, n, _)| usize::from(*n))
            .sum();
        // Each sector has 400 units (digit, two letters); stop well before they run out.
        let possible = districts * 10 * 26 * 26;
        while postcodes.len() < wanted.min(possible / 2) {
            let (area, districts, town) = pick(&mut rng, names::POSTCODE_AREAS);
            let district = rng.random_range(1..=*districts);
            let sector = rng.random_range(0..10);
            let a = char::from(b'A' + rng.random_range(0..26u8));
            let b = char::from(b'A' + rng.random_range(0..26u8));
            let text = format!("{area}{district} {sector}{a}{b}");
            if taken.insert(text.clone()) {
                let postcode =
                    Postcode::parse(&text).with_context(|| format!("postcode {text}"))?;
                postcodes.push((postcode, *town));
            }
        }
        let nurseries = settings(&mut rng, names::NURSERIES, 200);
        let primaries = settings(&mut rng, names::PRIMARIES, 350);
        let secondaries = settings(&mut rng, names::SECONDARIES, 90);
        let colleges = settings(&mut rng, names::COLLEGES, 25);
        Ok(Self {
            rng,
            boys: Weighted::new(names::BOYS.len(), 20.0),
            girls: Weighted::new(names::GIRLS.len(), 20.0),
            // Smith about 1.4%, as in England and Wales.
            surnames: Weighted::new(names::SURNAMES.len(), 30.0),
            postcodes,
            nurseries,
            primaries,
            secondaries,
            colleges,
            identifiers: HashSet::new(),
        })
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.rng.random::<f64>() < p
    }

    fn surname(&mut self) -> String {
        if self.chance(0.07) {
            let a = names::SURNAMES[self.surnames.pick(&mut self.rng)];
            let b = names::SURNAMES[self.surnames.pick(&mut self.rng)];
            if a != b && !a.contains(['-', ' ']) && !b.contains(['-', ' ']) {
                return format!("{a}-{b}");
            }
        }
        names::SURNAMES[self.surnames.pick(&mut self.rng)].to_owned()
    }

    fn first_name(&mut self, sex: Sex) -> &'static str {
        if sex == Sex::Male {
            names::BOYS[self.boys.pick(&mut self.rng)]
        } else {
            names::GIRLS[self.girls.pick(&mut self.rng)]
        }
    }

    /// A postcode of the council other than `not`.
    pub fn postcode(&mut self, not: Option<&Postcode>) -> (Postcode, &'static str) {
        loop {
            let (postcode, town) = pick(&mut self.rng, &self.postcodes).clone();
            if Some(&postcode) != not {
                return (postcode, town);
            }
        }
    }

    /// A date of birth in the 25 years before [`TODAY`].
    fn date_of_birth(&mut self) -> Date {
        TODAY - Duration::days(self.rng.random_range(0..DAYS_OF_BIRTH))
    }

    /// A younger or older sibling's date of birth: one to six years apart.
    fn sibling_born(&mut self, of: Date) -> Date {
        let gap = Duration::days(self.rng.random_range(380..2200));
        let earliest = TODAY - Duration::days(DAYS_OF_BIRTH);
        let (before, after) = (of - gap, of + gap);
        match (before >= earliest, after <= TODAY) {
            (true, true) => {
                if self.chance(0.5) {
                    before
                } else {
                    after
                }
            }
            (true, false) => before,
            (false, true) => after,
            (false, false) => self.date_of_birth(),
        }
    }

    fn unique(&mut self, make: impl Fn(&mut StdRng) -> Option<String>) -> String {
        loop {
            if let Some(id) = make(&mut self.rng)
                && self.identifiers.insert(id.clone())
            {
                return id;
            }
        }
    }

    fn nhs_number(&mut self) -> Result<NhsNumber> {
        let text = self.unique(|rng| {
            let digits: Vec<u32> = (0..9).map(|_| rng.random_range(0..10)).collect();
            let sum: u32 = digits.iter().zip((2..=10).rev()).map(|(d, w)| d * w).sum();
            let check = match 11 - sum % 11 {
                11 => 0,
                10 => return None,
                n => n,
            };
            Some(digits.iter().chain([&check]).map(u32::to_string).collect())
        });
        NhsNumber::parse(&text).with_context(|| format!("NHS number {text}"))
    }

    fn uln(&mut self) -> Result<Uln> {
        let text = self.unique(|rng| {
            let mut digits: Vec<u32> = vec![rng.random_range(1..10)];
            digits.extend((0..8).map(|_| rng.random_range(0..10)));
            let sum: u32 = digits.iter().zip((2..=10).rev()).map(|(d, w)| d * w).sum();
            let remainder = sum % 11;
            (remainder != 0).then(|| {
                digits
                    .iter()
                    .chain([&(10 - remainder)])
                    .map(u32::to_string)
                    .collect()
            })
        });
        Uln::parse(&text).with_context(|| format!("ULN {text}"))
    }

    /// A UPN of this council (886) given by a school the year the child started.
    fn upn(&mut self, started: i32) -> Result<Upn> {
        let text = self.unique(|rng| {
            let body = format!(
                "886{:04}{:02}{:03}",
                rng.random_range(1000..8000),
                started.rem_euclid(100),
                rng.random_range(0..1000)
            );
            let sum: u32 = body
                .bytes()
                .zip(2_u32..)
                .map(|(b, weight)| u32::from(b - b'0') * weight)
                .sum();
            let letter = char::from(b"ABCDEFGHJKLMNPQRTUVWXYZ"[(sum % 23) as usize]);
            Some(format!("{letter}{body}"))
        });
        Upn::parse(&text).with_context(|| format!("UPN {text}"))
    }

    fn setting(&mut self, age: i64) -> Option<String> {
        let (list, p) = match age {
            0..2 => return None,
            2..4 => (&self.nurseries, 0.6),
            4..11 => (&self.primaries, 0.97),
            11..16 => (&self.secondaries, 0.95),
            16..19 => {
                if self.rng.random::<f64>() < 0.5 {
                    (&self.secondaries, 0.9)
                } else {
                    (&self.colleges, 0.9)
                }
            }
            _ => (&self.colleges, 0.25),
        };
        (self.rng.random::<f64>() < p).then(|| pick(&mut self.rng, list).clone())
    }

    /// Adds one family (one to four children, sometimes twins) to `world`.
    #[expect(
        clippy::too_many_lines,
        reason = "one family, top to bottom: parents, address, then each child"
    )]
    pub fn family(&mut self, world: &mut World) -> Result<()> {
        let surname = self.surname();
        let other_surname = if self.chance(0.15) {
            self.surname()
        } else {
            surname.clone()
        };
        let mother = format!("{} {surname}", self.first_name(Sex::Female));
        let father = format!("{} {other_surname}", self.first_name(Sex::Male));
        let parents: Vec<(String, &str)> = {
            let r = self.rng.random::<f64>();
            if r < 0.25 {
                vec![(mother, *pick(&mut self.rng, names::MOTHERS))]
            } else if r < 0.3 {
                vec![(father, *pick(&mut self.rng, names::FATHERS))]
            } else {
                vec![
                    (mother, *pick(&mut self.rng, names::MOTHERS)),
                    (father, *pick(&mut self.rng, names::FATHERS)),
                ]
            }
        };
        let recorded = self.chance(0.65);
        let (postcode, town) = self.postcode(None);
        let street = format!(
            "{} {}",
            self.rng.random_range(1..240),
            pick(&mut self.rng, names::STREETS)
        );
        let size = match self.rng.random::<f64>() {
            r if r < 0.55 => 1,
            r if r < 0.85 => 2,
            r if r < 0.97 => 3,
            _ => 4,
        };
        let twins = size >= 2 && self.chance(0.04);
        let first_index = world.children.len();
        let family = world.families.last().map_or(0, |f| f + 1);
        let mut born = self.date_of_birth();
        let mut given: Vec<&str> = Vec::new();
        for k in 0..size {
            if k > 0 && !(twins && k == 1) {
                born = self.sibling_born(born);
            }
            let sex = if self.chance(0.5) {
                Sex::Male
            } else {
                Sex::Female
            };
            let mut first = self.first_name(sex);
            for _ in 0..10 {
                if !given.contains(&first) {
                    break;
                }
                first = self.first_name(sex);
            }
            given.push(first);
            let preferred = match names::short_forms(first) {
                Some(short) if self.chance(0.15) => Some(*pick(&mut self.rng, short)),
                _ => None,
            };
            let last = if self.chance(0.93) {
                surname.clone()
            } else {
                other_surname.clone()
            };
            let age = (TODAY - born).whole_days() / 365;
            let upn = if age >= 4 && self.chance(if age <= 19 { 0.85 } else { 0.6 }) {
                let started = born.year() + 4;
                Some(self.upn(started)?)
            } else {
                None
            };
            let uln = if age >= 14 && self.chance(0.5) {
                Some(self.uln()?)
            } else {
                None
            };
            let nhs_number = if self.chance(0.6) {
                Some(self.nhs_number()?)
            } else {
                None
            };
            let setting = self.setting(age);
            let need = *pick(
                &mut self.rng,
                &[
                    SenNeed::Asd,
                    SenNeed::Slcn,
                    SenNeed::Semh,
                    SenNeed::Mld,
                    SenNeed::Spld,
                    SenNeed::Sld,
                    SenNeed::Pd,
                ],
            );
            let child = Child {
                id: ChildId::from_uuid(new_uuid(&mut self.rng)),
                team_id: DEFAULT_TEAM.0,
                legal_first_name: PersonName::parse(first)?,
                legal_last_name: PersonName::parse(&last)?,
                preferred_name: preferred.map(PersonName::parse).transpose()?,
                date_of_birth: born,
                sex,
                ethnicity: None,
                upn,
                uln,
                nhs_number,
                address: Address {
                    line_1: Some(ShortText::parse(&street, "address")?),
                    line_2: None,
                    town: Some(ShortText::parse(town, "town")?),
                    postcode: Some(postcode.clone()),
                },
                setting: setting
                    .map(|s| ShortText::parse(&s, "setting"))
                    .transpose()?,
                primary_need: Some(need),
                secondary_need: None,
                created_at: ADDED,
                updated_at: ADDED,
                version: 1,
            };
            let contacts = if recorded {
                parents
                    .iter()
                    .map(|(name, relationship)| {
                        Ok(FamilyContact {
                            id: ContactId::from_uuid(new_uuid(&mut self.rng)),
                            child_id: child.id,
                            name: PersonName::parse(name)?,
                            relationship: ShortText::parse(relationship, "relationship")?,
                            email: None,
                            phone: None,
                            parental_responsibility: true,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?
            } else {
                Vec::new()
            };
            world.children.push(child);
            world.contacts.push(contacts);
            world
                .parents
                .push(parents.iter().map(|(name, _)| name.clone()).collect());
            world.families.push(family);
        }
        if twins {
            world.twins.push((first_index, first_index + 1));
            world.twins.push((first_index + 1, first_index));
        }
        Ok(())
    }

    /// At least `children` children, whole families (trimmed to exactly `children`).
    pub fn world(&mut self, children: usize) -> Result<World> {
        let mut world = World::default();
        while world.children.len() < children {
            self.family(&mut world)?;
        }
        world.children.truncate(children);
        world.contacts.truncate(children);
        world.parents.truncate(children);
        world.families.truncate(children);
        world.twins.retain(|(a, b)| *a < children && *b < children);
        Ok(world)
    }
}
