//! Accounts and what keeps signing in safe, on SQLite. Every write is one
//! transaction on the single writer connection, with its audit events and emails.

use async_trait::async_trait;
use send_domain::{
    Account, CodePurpose, Email, OneTimeCode, OneTimeCodeId, PasswordHash, PasswordResetToken,
    PersonName, PhoneNumber, ProfessionalDetails, ShortText, StaffRole, ThrottleState, TokenHash,
    TotpEnrolment, UserId,
};
use send_store::{AccountStore, Effects, NewAccount, PasswordChange, StoreError, StoreResult};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};
use time::OffsetDateTime;

use crate::SqliteStore;
use crate::columns::{Columns, numbered, query_first};
use crate::convert::{corrupt, from_sqlx, time_from_text, time_to_text, uuid_from_text};
use crate::effects;

/// SQLite names a unique violation by its columns ("UNIQUE constraint failed:
/// accounts.email"); the trait promises the index's name, as PostgreSQL gives it.
fn account_write_error(err: sqlx::Error) -> StoreError {
    match from_sqlx(err) {
        StoreError::Conflict { constraint } if constraint.contains("accounts.email") => {
            StoreError::Conflict {
                constraint: "accounts_email".to_owned(),
            }
        }
        other => other,
    }
}

fn conflict(constraint: &str) -> StoreError {
    StoreError::Conflict {
        constraint: constraint.to_owned(),
    }
}

fn optional_time(row: &SqliteRow, name: &str) -> StoreResult<Option<OffsetDateTime>> {
    row.try_get::<Option<String>, _>(name)
        .map_err(from_sqlx)?
        .map(|t| time_from_text(&t))
        .transpose()
}

fn count(row: &SqliteRow) -> StoreResult<u32> {
    let n: i64 = row.try_get("n").map_err(from_sqlx)?;
    u32::try_from(n).map_err(|_| corrupt(format_args!("count {n}")))
}

/// The authenticator time step as stored (SQLite `INTEGER`).
fn step_to_db(step: u64) -> StoreResult<i64> {
    i64::try_from(step).map_err(|_| corrupt(format_args!("time step {step}")))
}

pub(crate) fn account_from_row(row: &impl Columns) -> StoreResult<Account> {
    let text = |name: &str| row.text(name);
    let optional = |name: &str| row.optional_text(name);
    let professional = match (
        optional("organisation")?,
        optional("job_role")?,
        optional("work_phone")?,
    ) {
        (None, None, None) => None,
        (Some(organisation), Some(role), Some(work_phone)) => Some(ProfessionalDetails {
            organisation: ShortText::from_stored(organisation),
            role: ShortText::from_stored(role),
            work_phone: PhoneNumber::parse(&work_phone).map_err(corrupt)?,
        }),
        _ => return Err(corrupt("incomplete professional details")),
    };
    let last_step = row.optional_integer("totp_last_step")?;
    let last_used_step = last_step
        .map(|step| u64::try_from(step).map_err(|_| corrupt(format_args!("time step {step}"))))
        .transpose()?;
    let totp = match (optional("totp_secret")?, last_used_step) {
        (None, None) => None,
        (Some(secret_base32), last_used_step) => Some(TotpEnrolment {
            secret_base32,
            last_used_step,
        }),
        (None, Some(_)) => return Err(corrupt("time step without an authenticator secret")),
    };
    Ok(Account {
        id: UserId::from_uuid(uuid_from_text(&text("id")?)?),
        kind: text("kind")?.parse().map_err(corrupt)?,
        email: Email::parse(&text("email")?).map_err(corrupt)?,
        name: PersonName::parse(&text("name")?).map_err(corrupt)?,
        phone: optional("phone")?
            .map(|phone| PhoneNumber::parse(&phone).map_err(corrupt))
            .transpose()?,
        professional,
        staff_role: optional("staff_role")?
            .map(|role| StaffRole::parse_code(&role).map_err(corrupt))
            .transpose()?,
        password_hash: PasswordHash::from_phc(text("password_hash")?),
        second_factor: text("second_factor")?.parse().map_err(corrupt)?,
        totp,
        email_verified_at: optional("email_verified_at")?
            .map(|t| time_from_text(&t))
            .transpose()?,
        created_at: time_from_text(&text("created_at")?)?,
        updated_at: time_from_text(&text("updated_at")?)?,
    })
}

fn code_from_row(row: &SqliteRow) -> StoreResult<OneTimeCode> {
    let text = |name: &str| row.try_get::<String, _>(name).map_err(from_sqlx);
    let wrong_attempts: i64 = row.try_get("wrong_attempts").map_err(from_sqlx)?;
    Ok(OneTimeCode {
        id: OneTimeCodeId::from_uuid(uuid_from_text(&text("id")?)?),
        account_id: UserId::from_uuid(uuid_from_text(&text("account_id")?)?),
        purpose: text("purpose")?.parse().map_err(corrupt)?,
        code_hash: TokenHash::from_hex(&text("code_hash")?).map_err(corrupt)?,
        attempt_hash: TokenHash::from_hex(&text("attempt_hash")?).map_err(corrupt)?,
        new_email: row
            .try_get::<Option<String>, _>("new_email")
            .map_err(from_sqlx)?
            .map(|email| Email::parse(&email).map_err(corrupt))
            .transpose()?,
        created_at: time_from_text(&text("created_at")?)?,
        expires_at: time_from_text(&text("expires_at")?)?,
        wrong_attempts: u32::try_from(wrong_attempts)
            .map_err(|_| corrupt(format_args!("wrong attempts {wrong_attempts}")))?,
        used_at: optional_time(row, "used_at")?,
    })
}

fn reset_token_from_row(row: &SqliteRow) -> StoreResult<PasswordResetToken> {
    let text = |name: &str| row.try_get::<String, _>(name).map_err(from_sqlx);
    Ok(PasswordResetToken {
        token_hash: TokenHash::from_hex(&text("token_hash")?).map_err(corrupt)?,
        account_id: UserId::from_uuid(uuid_from_text(&text("account_id")?)?),
        created_at: time_from_text(&text("created_at")?)?,
        expires_at: time_from_text(&text("expires_at")?)?,
        used_at: optional_time(row, "used_at")?,
    })
}

/// Writes every field of `account` but its id, kind, password and creation time.
async fn update_account_row(conn: &mut SqliteConnection, account: &Account) -> StoreResult<()> {
    let professional = account.professional.as_ref();
    let totp = account.totp.as_ref();
    let done = sqlx::query(
        "UPDATE accounts SET email = ?, name = ?, phone = ?, organisation = ?, job_role = ?, \
         work_phone = ?, staff_role = ?, second_factor = ?, totp_secret = ?, \
         totp_last_step = ?, email_verified_at = ?, updated_at = ? \
         WHERE id = ?",
    )
    .bind(account.email.as_str())
    .bind(account.name.as_str())
    .bind(account.phone.as_ref().map(PhoneNumber::as_str))
    .bind(professional.map(|p| p.organisation.as_str()))
    .bind(professional.map(|p| p.role.as_str()))
    .bind(professional.map(|p| p.work_phone.as_str()))
    .bind(account.staff_role.map(StaffRole::code))
    .bind(account.second_factor.code())
    .bind(totp.map(|t| t.secret_base32.as_str()))
    .bind(
        totp.and_then(|t| t.last_used_step)
            .map(step_to_db)
            .transpose()?,
    )
    .bind(account.email_verified_at.map(time_to_text))
    .bind(time_to_text(account.updated_at))
    .bind(account.id.to_string())
    .execute(conn)
    .await
    .map_err(account_write_error)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

async fn insert_code(conn: &mut SqliteConnection, code: &OneTimeCode) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO one_time_codes \
         (id, account_id, purpose, code_hash, attempt_hash, new_email, created_at, expires_at, \
          wrong_attempts, used_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(code.id.to_string())
    .bind(code.account_id.to_string())
    .bind(code.purpose.code())
    .bind(code.code_hash.as_hex())
    .bind(code.attempt_hash.as_hex())
    .bind(code.new_email.as_ref().map(Email::as_str))
    .bind(time_to_text(code.created_at))
    .bind(time_to_text(code.expires_at))
    .bind(i64::from(code.wrong_attempts))
    .bind(code.used_at.map(time_to_text))
    .execute(conn)
    .await
    .map_err(from_sqlx)?;
    Ok(())
}

async fn insert_recovery_codes(
    conn: &mut SqliteConnection,
    account: UserId,
    hashes: &[TokenHash],
    created_at: OffsetDateTime,
) -> StoreResult<()> {
    for hash in hashes {
        sqlx::query(
            "INSERT INTO recovery_codes (account_id, code_hash, created_at, used_at) \
             VALUES (?, ?, ?, NULL)",
        )
        .bind(account.to_string())
        .bind(hash.as_hex())
        .bind(time_to_text(created_at))
        .execute(&mut *conn)
        .await
        .map_err(from_sqlx)?;
    }
    Ok(())
}

#[async_trait]
impl AccountStore for SqliteStore {
    #[tracing::instrument(level = "debug", name = "store.insert_account", skip_all)]
    async fn insert_account(&self, new: &NewAccount, effects: &Effects) -> StoreResult<()> {
        let account = &new.account;
        let professional = account.professional.as_ref();
        let totp = account.totp.as_ref();
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        sqlx::query(
            "INSERT INTO accounts \
             (id, kind, email, name, phone, organisation, job_role, work_phone, staff_role, \
              password_hash, second_factor, totp_secret, totp_last_step, email_verified_at, \
              created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(account.id.to_string())
        .bind(account.kind.code())
        .bind(account.email.as_str())
        .bind(account.name.as_str())
        .bind(account.phone.as_ref().map(PhoneNumber::as_str))
        .bind(professional.map(|p| p.organisation.as_str()))
        .bind(professional.map(|p| p.role.as_str()))
        .bind(professional.map(|p| p.work_phone.as_str()))
        .bind(account.staff_role.map(StaffRole::code))
        .bind(account.password_hash.as_phc())
        .bind(account.second_factor.code())
        .bind(totp.map(|t| t.secret_base32.as_str()))
        .bind(
            totp.and_then(|t| t.last_used_step)
                .map(step_to_db)
                .transpose()?,
        )
        .bind(account.email_verified_at.map(time_to_text))
        .bind(time_to_text(account.created_at))
        .bind(time_to_text(account.updated_at))
        .execute(&mut *tx)
        .await
        .map_err(account_write_error)?;
        if let Some(link) = new.setup_link {
            let done = sqlx::query(
                "UPDATE staff_setup_links SET used_at = ? WHERE id = ? AND used_at IS NULL",
            )
            .bind(time_to_text(account.created_at))
            .bind(link.to_string())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
            if done.rows_affected() == 0 {
                return Err(conflict("staff_setup_links_used"));
            }
            // The new member of staff joins the link's team and groups.
            sqlx::query(
                "INSERT INTO staff_members (account_id, team_id, updated_at) \
                 SELECT ?, team_id, ? FROM staff_setup_links WHERE id = ?",
            )
            .bind(account.id.to_string())
            .bind(time_to_text(account.created_at))
            .bind(link.to_string())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
            sqlx::query(
                "INSERT INTO staff_group_memberships (account_id, group_id) \
                 SELECT ?, group_id FROM staff_setup_link_groups WHERE link_id = ?",
            )
            .bind(account.id.to_string())
            .bind(link.to_string())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        }
        if let Some(code) = &new.code {
            insert_code(&mut tx, code).await?;
        }
        insert_recovery_codes(&mut tx, account.id, &new.recovery_codes, account.created_at).await?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    #[tracing::instrument(level = "debug", name = "store.account_by_id", skip_all)]
    async fn account_by_id(&self, id: UserId) -> StoreResult<Option<Account>> {
        // On rusqlite (`blocking_reads`).
        let id = id.to_string();
        self.blocking
            .read(move |tx| {
                query_first(
                    tx,
                    "SELECT * FROM accounts WHERE id = $1",
                    numbered(&[&id]).as_slice(),
                    |row| account_from_row(row),
                )
            })
            .await
    }

    #[tracing::instrument(level = "debug", name = "store.account_by_email", skip_all)]
    async fn account_by_email(&self, email: &Email) -> StoreResult<Option<Account>> {
        let email = email.as_str().to_owned();
        self.blocking
            .read(move |tx| {
                query_first(
                    tx,
                    "SELECT * FROM accounts WHERE email = $1",
                    numbered(&[&email]).as_slice(),
                    |row| account_from_row(row),
                )
            })
            .await
    }

    #[tracing::instrument(level = "debug", name = "store.update_account", skip_all)]
    async fn update_account(&self, account: &Account, effects: &Effects) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        update_account_row(&mut tx, account).await?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    #[tracing::instrument(level = "debug", name = "store.change_password", skip_all)]
    async fn change_password(&self, change: &PasswordChange, effects: &Effects) -> StoreResult<()> {
        let account = change.account_id.to_string();
        let changed_at = time_to_text(change.changed_at);
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        if let Some(token) = &change.reset_token {
            let done = sqlx::query(
                "UPDATE password_reset_tokens SET used_at = ? \
                 WHERE token_hash = ? AND account_id = ? AND used_at IS NULL",
            )
            .bind(&changed_at)
            .bind(token.as_hex())
            .bind(&account)
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
            if done.rows_affected() == 0 {
                return Err(conflict("password_reset_tokens_used"));
            }
        }
        sqlx::query(
            "INSERT INTO password_history (account_id, password_hash, replaced_at) \
             SELECT id, password_hash, ? FROM accounts WHERE id = ?",
        )
        .bind(&changed_at)
        .bind(&account)
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        let done =
            sqlx::query("UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?")
                .bind(change.new_hash.as_phc())
                .bind(&changed_at)
                .bind(&account)
                .execute(&mut *tx)
                .await
                .map_err(from_sqlx)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("DELETE FROM sessions WHERE account_id = ? AND id_hash <> ?")
            .bind(&account)
            .bind(change.keep_session.as_ref().map_or("", TokenHash::as_hex))
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    #[tracing::instrument(level = "debug", name = "store.previous_passwords", skip_all)]
    async fn previous_passwords(&self, id: UserId, limit: u32) -> StoreResult<Vec<PasswordHash>> {
        let rows = sqlx::query(
            "SELECT password_hash FROM password_history WHERE account_id = ? \
             ORDER BY replaced_at DESC LIMIT ?",
        )
        .bind(id.to_string())
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await
        .map_err(from_sqlx)?;
        rows.iter()
            .map(|row| {
                row.try_get::<String, _>("password_hash")
                    .map(PasswordHash::from_phc)
                    .map_err(from_sqlx)
            })
            .collect()
    }

    #[tracing::instrument(level = "debug", name = "store.issue_code", skip_all)]
    async fn issue_code(&self, code: &OneTimeCode, effects: &Effects) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        insert_code(&mut tx, code).await?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    #[tracing::instrument(level = "debug", name = "store.current_code", skip_all)]
    async fn current_code(
        &self,
        account: UserId,
        purpose: CodePurpose,
        attempt_hash: &TokenHash,
    ) -> StoreResult<Option<OneTimeCode>> {
        let row = sqlx::query(
            "SELECT * FROM one_time_codes WHERE account_id = ? AND purpose = ? \
             ORDER BY created_at DESC, id DESC LIMIT 1",
        )
        .bind(account.to_string())
        .bind(purpose.code())
        .fetch_optional(&self.reader)
        .await
        .map_err(from_sqlx)?;
        let code = row.as_ref().map(code_from_row).transpose()?;
        Ok(code.filter(|code| &code.attempt_hash == attempt_hash))
    }

    #[tracing::instrument(level = "debug", name = "store.codes_issued_since", skip_all)]
    async fn codes_issued_since(
        &self,
        account: UserId,
        purpose: CodePurpose,
        since: OffsetDateTime,
    ) -> StoreResult<u32> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM one_time_codes \
             WHERE account_id = ? AND purpose = ? AND created_at >= ?",
        )
        .bind(account.to_string())
        .bind(purpose.code())
        .bind(time_to_text(since))
        .fetch_one(&self.reader)
        .await
        .map_err(from_sqlx)?;
        count(&row)
    }

    #[tracing::instrument(level = "debug", name = "store.record_wrong_code", skip_all)]
    async fn record_wrong_code(&self, id: OneTimeCodeId, effects: &Effects) -> StoreResult<u32> {
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        let row = sqlx::query(
            "UPDATE one_time_codes SET wrong_attempts = wrong_attempts + 1 WHERE id = ? \
             RETURNING wrong_attempts",
        )
        .bind(id.to_string())
        .fetch_optional(&mut *tx)
        .await
        .map_err(from_sqlx)?
        .ok_or(StoreError::NotFound)?;
        let attempts: i64 = row.try_get("wrong_attempts").map_err(from_sqlx)?;
        let attempts = u32::try_from(attempts)
            .map_err(|_| corrupt(format_args!("wrong attempts {attempts}")))?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(attempts)
    }

    #[tracing::instrument(level = "debug", name = "store.use_code", skip_all)]
    async fn use_code(
        &self,
        id: OneTimeCodeId,
        used_at: OffsetDateTime,
        account: Option<&Account>,
        effects: &Effects,
    ) -> StoreResult<bool> {
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        let done =
            sqlx::query("UPDATE one_time_codes SET used_at = ? WHERE id = ? AND used_at IS NULL")
                .bind(time_to_text(used_at))
                .bind(id.to_string())
                .execute(&mut *tx)
                .await
                .map_err(from_sqlx)?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        if let Some(account) = account {
            update_account_row(&mut tx, account).await?;
        }
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(true)
    }

    #[tracing::instrument(level = "debug", name = "store.insert_reset_token", skip_all)]
    async fn insert_reset_token(
        &self,
        token: &PasswordResetToken,
        effects: &Effects,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        sqlx::query(
            "INSERT INTO password_reset_tokens \
             (token_hash, account_id, created_at, expires_at, used_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(token.token_hash.as_hex())
        .bind(token.account_id.to_string())
        .bind(time_to_text(token.created_at))
        .bind(time_to_text(token.expires_at))
        .bind(token.used_at.map(time_to_text))
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    #[tracing::instrument(level = "debug", name = "store.reset_token", skip_all)]
    async fn reset_token(&self, hash: &TokenHash) -> StoreResult<Option<PasswordResetToken>> {
        let row = sqlx::query("SELECT * FROM password_reset_tokens WHERE token_hash = ?")
            .bind(hash.as_hex())
            .fetch_optional(&self.reader)
            .await
            .map_err(from_sqlx)?;
        row.as_ref().map(reset_token_from_row).transpose()
    }

    #[tracing::instrument(level = "debug", name = "store.reset_tokens_issued_since", skip_all)]
    async fn reset_tokens_issued_since(
        &self,
        account: UserId,
        since: OffsetDateTime,
    ) -> StoreResult<u32> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM password_reset_tokens \
             WHERE account_id = ? AND created_at >= ?",
        )
        .bind(account.to_string())
        .bind(time_to_text(since))
        .fetch_one(&self.reader)
        .await
        .map_err(from_sqlx)?;
        count(&row)
    }

    #[tracing::instrument(level = "debug", name = "store.replace_recovery_codes", skip_all)]
    async fn replace_recovery_codes(
        &self,
        account: &Account,
        hashes: &[TokenHash],
        effects: &Effects,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        // The account first, so a missing one is `NotFound` rather than a
        // foreign-key failure on its codes.
        update_account_row(&mut tx, account).await?;
        sqlx::query("DELETE FROM recovery_codes WHERE account_id = ?")
            .bind(account.id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
        insert_recovery_codes(&mut tx, account.id, hashes, account.updated_at).await?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    #[tracing::instrument(level = "debug", name = "store.use_recovery_code", skip_all)]
    async fn use_recovery_code(
        &self,
        account: UserId,
        hash: &TokenHash,
        used_at: OffsetDateTime,
        effects: &Effects,
    ) -> StoreResult<bool> {
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        let done = sqlx::query(
            "UPDATE recovery_codes SET used_at = ? \
             WHERE account_id = ? AND code_hash = ? AND used_at IS NULL",
        )
        .bind(time_to_text(used_at))
        .bind(account.to_string())
        .bind(hash.as_hex())
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(true)
    }

    #[tracing::instrument(level = "debug", name = "store.unused_recovery_codes", skip_all)]
    async fn unused_recovery_codes(&self, account: UserId) -> StoreResult<u32> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM recovery_codes WHERE account_id = ? AND used_at IS NULL",
        )
        .bind(account.to_string())
        .fetch_one(&self.reader)
        .await
        .map_err(from_sqlx)?;
        count(&row)
    }

    #[tracing::instrument(level = "debug", name = "store.record_totp_step", skip_all)]
    async fn record_totp_step(
        &self,
        account: UserId,
        step: u64,
        effects: &Effects,
    ) -> StoreResult<bool> {
        let step = step_to_db(step)?;
        let mut tx = self.writer.begin().await.map_err(from_sqlx)?;
        let done = sqlx::query(
            "UPDATE accounts SET totp_last_step = ? \
             WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)",
        )
        .bind(step)
        .bind(account.to_string())
        .bind(step)
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)?;
        Ok(true)
    }

    #[tracing::instrument(level = "debug", name = "store.throttle", skip_all)]
    async fn throttle(&self, key: &str) -> StoreResult<Option<ThrottleState>> {
        let row =
            sqlx::query("SELECT failures, last_failure_at FROM sign_in_throttles WHERE key = ?")
                .bind(key)
                .fetch_optional(&self.reader)
                .await
                .map_err(from_sqlx)?;
        row.map(|row| {
            let failures: i64 = row.try_get("failures").map_err(from_sqlx)?;
            Ok(ThrottleState {
                failures: u32::try_from(failures)
                    .map_err(|_| corrupt(format_args!("failures {failures}")))?,
                last_failure_at: time_from_text(
                    &row.try_get::<String, _>("last_failure_at")
                        .map_err(from_sqlx)?,
                )?,
            })
        })
        .transpose()
    }

    #[tracing::instrument(level = "debug", name = "store.set_throttle", skip_all)]
    async fn set_throttle(&self, key: &str, state: &ThrottleState) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sign_in_throttles (key, failures, last_failure_at) VALUES (?, ?, ?) \
             ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, \
             last_failure_at = excluded.last_failure_at",
        )
        .bind(key)
        .bind(i64::from(state.failures))
        .bind(time_to_text(state.last_failure_at))
        .execute(&self.writer)
        .await
        .map_err(from_sqlx)?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", name = "store.clear_throttle", skip_all)]
    async fn clear_throttle(&self, key: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sign_in_throttles WHERE key = ?")
            .bind(key)
            .execute(&self.writer)
            .await
            .map_err(from_sqlx)?;
        Ok(())
    }
}
