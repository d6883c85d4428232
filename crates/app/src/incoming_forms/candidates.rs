//! Candidates for details that arrived: the children the store's indexed
//! lookups find, each scored by the matcher, best first.

use send_domain::matching::{ChildDetails, MatchResult, Verdict, compare, normalise_name};
use send_domain::{CaseAction, Child, ChildId, Decision, FamilyContact, StaffAccess, staff_may};
use send_store::CandidateQuery;
use time::{Date, Duration};

use crate::{App, AppResult};

/// How many children each lookup may return at most.
const PER_LOOKUP: u32 = 50;

/// A child the details might be, with the matcher's reasons.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub child: Child,
    pub result: MatchResult,
}

/// The day and month swapped, when that is a date and a different one.
fn swapped(date: Date) -> Option<Date> {
    let month = time::Month::try_from(date.day()).ok()?;
    let day = u8::from(date.month());
    Date::from_calendar_date(date.year(), month, day)
        .ok()
        .filter(|d| *d != date)
}

fn query_for(details: &ChildDetails) -> CandidateQuery {
    let mut dates: Vec<Date> = details.date_of_birth.into_iter().collect();
    dates.extend(details.date_of_birth.and_then(swapped));
    let mut surnames: Vec<String> = [&details.last_name, &details.first_name]
        .into_iter()
        .flatten()
        .map(|n| normalise_name(n))
        .filter(|n| !n.is_empty())
        .collect();
    surnames.dedup();
    CandidateQuery {
        upn: details.upn.clone(),
        uln: details.uln.clone(),
        nhs_number: details.nhs_number.clone(),
        dates_of_birth: dates,
        surnames,
        born_between: details
            .date_of_birth
            .map(|d| (d - Duration::days(366), d + Duration::days(366))),
        postcode: details.postcode.clone(),
        limit_per_lookup: PER_LOOKUP,
    }
}

fn rank(verdict: Verdict) -> u8 {
    match verdict {
        Verdict::Certain => 0,
        Verdict::Conflict => 1,
        Verdict::Likely => 2,
        Verdict::Possible => 3,
        Verdict::Unlikely => 4,
    }
}

impl App {
    /// The children these details might be, best first, at most `limit`: each
    /// from an indexed lookup (identifier, date of birth or its day and month
    /// swapped, folded surname, postcode), never a scan of every child.
    /// Children that score nothing are left out.
    #[tracing::instrument(skip_all)]
    pub async fn match_candidates(
        &self,
        details: &ChildDetails,
        limit: usize,
    ) -> AppResult<Vec<Candidate>> {
        let query = query_for(details);
        let children = self.store.match_candidates(&query).await?;
        let ids: Vec<ChildId> = children.iter().map(|c| c.id).collect();
        let contacts = self.store.family_contacts_of(&ids).await?;
        let thresholds = self.settings.match_thresholds;
        let mut found: Vec<Candidate> = children
            .into_iter()
            .map(|child| {
                let theirs: Vec<FamilyContact> = contacts
                    .iter()
                    .filter(|c| c.child_id == child.id)
                    .cloned()
                    .collect();
                let record = ChildDetails::of_child(&child, &theirs);
                let result = compare(details, &record, thresholds);
                Candidate { child, result }
            })
            .filter(|c| c.result.score > 0 || c.result.verdict == Verdict::Conflict)
            .collect();
        found.sort_by(|a, b| {
            rank(a.result.verdict)
                .cmp(&rank(b.result.verdict))
                .then(b.result.score.cmp(&a.result.score))
                .then_with(|| a.child.display_name().cmp(&b.child.display_name()))
        });
        found.truncate(limit);
        Ok(found)
    }

    /// Writes the folded surname of every child added before the matcher (the
    /// index its surname lookup uses); returns how many. Safe on every start.
    #[tracing::instrument(skip_all)]
    pub async fn index_children_for_matching(&self) -> AppResult<usize> {
        let mut done = 0;
        loop {
            let batch = self.store.children_to_index(500).await?;
            if batch.is_empty() {
                return Ok(done);
            }
            let mut changes = send_store::Changes::new();
            for (id, surname) in &batch {
                changes.push(send_store::Write::IndexChildName {
                    id: *id,
                    surname: normalise_name(surname),
                });
            }
            self.store.commit(&changes).await?;
            done += batch.len();
        }
    }

    /// The candidates a member of staff may see (their teams' children).
    pub(crate) async fn visible_candidates(
        &self,
        access: &StaffAccess,
        details: &ChildDetails,
        limit: usize,
    ) -> AppResult<Vec<Candidate>> {
        let mut found = self.match_candidates(details, limit * 4).await?;
        found.retain(|c| staff_may(access, CaseAction::View, c.child.team_id) == Decision::Allowed);
        found.truncate(limit);
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn a_swapped_date_is_looked_up_only_when_it_is_a_date() {
        assert_eq!(swapped(date!(2015 - 03 - 07)), Some(date!(2015 - 07 - 03)));
        assert_eq!(swapped(date!(2015 - 03 - 27)), None, "no 27th month");
        assert_eq!(swapped(date!(2015 - 04 - 04)), None, "the same date");
    }

    #[test]
    fn the_lookups_cover_identifiers_dates_both_names_and_postcode() {
        let details = ChildDetails {
            first_name: Some("Amira".to_owned()),
            last_name: Some("O'Neil".to_owned()),
            date_of_birth: Some(date!(2015 - 03 - 07)),
            ..ChildDetails::default()
        };
        let query = query_for(&details);
        assert_eq!(
            query.dates_of_birth,
            [date!(2015 - 03 - 07), date!(2015 - 07 - 03)]
        );
        assert_eq!(query.surnames, ["oneil", "amira"], "swapped names too");
        assert!(query.born_between.is_some());
    }
}
