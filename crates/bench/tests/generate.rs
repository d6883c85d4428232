//! The generated council: the same seed gives the same rows, and every child
//! has what the portal shows (a case, contacts, links, conversations,
//! documents), read back through the store.

// In a test module, so the helpers may unwrap as the tests do (clippy.toml).
#[cfg(test)]
mod council_tests {
    use std::collections::hash_map::DefaultHasher;
    use std::hash::{Hash, Hasher};
    use std::sync::Arc;

    use send_bench::council::{self, Counts, Options, caseworker_email, parent_email};
    use send_bench::world::Generator;
    use send_domain::{AuditAction, AuditQuery, Email, LinkStatus, Opener, PortalRole};
    use send_store::Store;
    use send_store_sqlite::SqliteStore;

    const CHILDREN: usize = 200;

    async fn generated(seed: u64) -> (tempfile::TempDir, Arc<dyn Store>, Counts) {
        let folder = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&folder.path().join("portal.db"))
            .await
            .unwrap();
        store.migrate().await.unwrap();
        let store: Arc<dyn Store> = Arc::new(store);
        let options = Options {
            seed,
            children: CHILDREN,
            batch: 60,
            files: Some(folder.path().join("files")),
            real_files: 5,
            // Batches committed side by side still make the same council.
            in_flight: 3,
        };
        let counts = council::generate(&store, &options, |_| {}).await.unwrap();
        (folder, store, counts)
    }

    /// Everything the store gives back about each child and each account, as
    /// text (password hashes and authenticator keys print hidden), hashed.
    async fn digest(store: &Arc<dyn Store>, counts: &Counts, seed: u64) -> u64 {
        let mut hasher = DefaultHasher::new();
        let world = Generator::new(seed, CHILDREN)
            .unwrap()
            .world(CHILDREN)
            .unwrap();
        for child in &world.children {
            let id = child.id;
            format!("{:?}", store.child(id).await.unwrap()).hash(&mut hasher);
            format!("{:?}", store.family_contacts(id).await.unwrap()).hash(&mut hasher);
            format!("{:?}", store.involvements_of_child(id).await.unwrap()).hash(&mut hasher);
            format!("{:?}", store.portal_links_for_child(id).await.unwrap()).hash(&mut hasher);
            format!("{:?}", store.documents_of_child(id).await.unwrap()).hash(&mut hasher);
            format!("{:?}", store.chronology(id, 10_000).await.unwrap()).hash(&mut hasher);
            for thread in store.threads_of_child(id).await.unwrap() {
                format!("{thread:?}{:?}", store.messages(thread.id).await.unwrap())
                    .hash(&mut hasher);
                for reader in thread
                    .participants
                    .iter()
                    .chain(thread.assigned_to.as_ref())
                {
                    let read = store.read_up_to(thread.id, *reader).await.unwrap();
                    format!("{read:?}").hash(&mut hasher);
                }
            }
        }
        for n in 1..=counts.parents {
            let email = Email::parse(&parent_email(n)).unwrap();
            format!("{:?}", store.account_by_email(&email).await.unwrap()).hash(&mut hasher);
        }
        hasher.finish()
    }

    #[tokio::test]
    async fn the_same_seed_generates_the_same_council() {
        let (_a, first, first_counts) = generated(7).await;
        let (_b, second, second_counts) = generated(7).await;
        assert_eq!(first_counts, second_counts);
        assert_eq!(
            digest(&first, &first_counts, 7).await,
            digest(&second, &second_counts, 7).await
        );
        // The digest sees the rows: another seed's council differs.
        let (_c, other, other_counts) = generated(8).await;
        assert_ne!(
            digest(&first, &first_counts, 7).await,
            digest(&other, &other_counts, 8).await
        );
    }

    #[tokio::test]
    async fn every_child_has_what_the_portal_shows() {
        let (folder, store, counts) = generated(2026).await;
        assert_eq!(counts.children, CHILDREN);
        // About 20 messages and 10 documents a child, about 1.5 links.
        let per_child = |n: usize| n / CHILDREN;
        assert!(
            (14..=26).contains(&per_child(counts.messages)),
            "{counts:?}"
        );
        assert!(
            (8..=12).contains(&per_child(counts.documents)),
            "{counts:?}"
        );
        assert!(
            counts.links * 10 / CHILDREN >= 12 && counts.links * 10 / CHILDREN <= 18,
            "{counts:?}"
        );
        assert!(counts.exceptions > 0, "{counts:?}");
        // The children are the matcher benchmark's, for the same seed.
        let world = Generator::new(2026, CHILDREN)
            .unwrap()
            .world(CHILDREN)
            .unwrap();
        let mut with_contacts = 0;
        for child in &world.children {
            assert_eq!(store.child(child.id).await.unwrap().as_ref(), Some(child));
            let involvements = store.involvements_of_child(child.id).await.unwrap();
            assert_eq!(involvements.len(), 1, "{}", child.id);
            assert!(involvements[0].caseworker_id.is_some());
            let threads = store.threads_of_child(child.id).await.unwrap();
            assert!(threads.len() >= 2, "{}", child.id);
            for thread in &threads {
                assert!(store.messages(thread.id).await.unwrap().len() >= 2);
            }
            assert!(store.documents_of_child(child.id).await.unwrap().len() >= 6);
            assert!(!store.chronology(child.id, 10).await.unwrap().is_empty());
            with_contacts +=
                usize::from(!store.family_contacts(child.id).await.unwrap().is_empty());
        }
        assert!(with_contacts > CHILDREN / 2, "{with_contacts}");
        // Views are audited as the portal audits them: every child's record has
        // been opened by staff, and "Who has looked at this record" finds them;
        // families' views of the SEND Dashboard are in the audit log too.
        let since = send_bench::world::ADDED;
        for child in &world.children {
            let openings = store.record_openings(child.id, since, 500).await.unwrap();
            assert!(
                openings
                    .iter()
                    .any(|o| matches!(o.opener, Opener::Staff { .. })),
                "{}",
                child.id
            );
        }
        assert!(counts.views > CHILDREN * 10, "{counts:?}");
        let dashboard_views = store
            .search_audit_events(&AuditQuery {
                action: Some(AuditAction::DashboardViewed),
                limit: 10_000,
                ..AuditQuery::default()
            })
            .await
            .unwrap();
        assert!(
            dashboard_views.len() > CHILDREN * 4,
            "{}",
            dashboard_views.len()
        );
        // The first family account sees its children through active links, and
        // is in each child's conversations.
        let parent = store
            .account_by_email(&Email::parse(&parent_email(1)).unwrap())
            .await
            .unwrap()
            .expect("parent-000001");
        let links = store.portal_links_for_account(parent.id).await.unwrap();
        assert!(!links.is_empty());
        for link in &links {
            assert_eq!(link.status, LinkStatus::Active);
            assert_eq!(link.role, PortalRole::Parent);
            let threads = store.threads_of_child(link.child_id).await.unwrap();
            assert!(threads.iter().all(|t| t.participants.contains(&parent.id)));
        }
        // The first caseworker is staff with access, and holds cases.
        let caseworker = store
            .account_by_email(&Email::parse(&caseworker_email(1)).unwrap())
            .await
            .unwrap()
            .expect("caseworker-0001");
        assert!(store.staff_access(caseworker.id).await.unwrap().is_some());
        let mut held = 0;
        for child in &world.children {
            let involvements = store.involvements_of_child(child.id).await.unwrap();
            held += involvements
                .iter()
                .filter(|i| i.caseworker_id == Some(caseworker.id))
                .count();
        }
        assert!(held > 0);
        // The real files are where the portal's file folder keeps them.
        let files = walk(&folder.path().join("files"));
        assert_eq!(files, 5);
    }

    fn walk(path: &std::path::Path) -> usize {
        std::fs::read_dir(path).map_or(0, |entries| {
            entries
                .flatten()
                .map(|e| {
                    if e.path().is_dir() {
                        walk(&e.path())
                    } else {
                        1
                    }
                })
                .sum()
        })
    }
}
