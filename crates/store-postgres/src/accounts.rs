//! Accounts and what keeps signing in safe, on PostgreSQL. Every write is one
//! transaction, with its audit events and emails.

use async_trait::async_trait;
use send_domain::{
    Account, CodePurpose, Email, OneTimeCode, OneTimeCodeId, PasswordHash, PasswordResetToken,
    PersonName, PhoneNumber, ProfessionalDetails, ShortText, StaffRole, ThrottleState, TokenHash,
    TotpEnrolment, UserId,
};
use send_store::{AccountStore, Effects, NewAccount, PasswordChange, StoreError, StoreResult};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use time::OffsetDateTime;

use crate::PgStore;
use crate::convert::{corrupt, from_sqlx};
use crate::effects;

fn conflict(constraint: &str) -> StoreError {
    StoreError::Conflict {
        constraint: constraint.to_owned(),
    }
}

fn count(row: &PgRow) -> StoreResult<u32> {
    let n: i64 = row.try_get("n").map_err(from_sqlx)?;
    u32::try_from(n).map_err(|_| corrupt(format_args!("count {n}")))
}

/// The authenticator time step as stored (PostgreSQL `bigint`).
fn step_to_db(step: u64) -> StoreResult<i64> {
    i64::try_from(step).map_err(|_| corrupt(format_args!("time step {step}")))
}

/// A count as stored (PostgreSQL `integer`).
fn count_to_db(n: u32) -> StoreResult<i32> {
    i32::try_from(n).map_err(|_| corrupt(format_args!("count {n}")))
}

fn count_from_db(n: i32) -> StoreResult<u32> {
    u32::try_from(n).map_err(|_| corrupt(format_args!("count {n}")))
}

pub(crate) fn account_from_row(row: &PgRow) -> StoreResult<Account> {
    let text = |name: &str| row.try_get::<String, _>(name).map_err(from_sqlx);
    let optional = |name: &str| row.try_get::<Option<String>, _>(name).map_err(from_sqlx);
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
    let last_step: Option<i64> = row.try_get("totp_last_step").map_err(from_sqlx)?;
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
        id: UserId::from_uuid(row.try_get("id").map_err(from_sqlx)?),
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
        email_verified_at: row.try_get("email_verified_at").map_err(from_sqlx)?,
        created_at: row.try_get("created_at").map_err(from_sqlx)?,
        updated_at: row.try_get("updated_at").map_err(from_sqlx)?,
    })
}

fn code_from_row(row: &PgRow) -> StoreResult<OneTimeCode> {
    let text = |name: &str| row.try_get::<String, _>(name).map_err(from_sqlx);
    Ok(OneTimeCode {
        id: OneTimeCodeId::from_uuid(row.try_get("id").map_err(from_sqlx)?),
        account_id: UserId::from_uuid(row.try_get("account_id").map_err(from_sqlx)?),
        purpose: text("purpose")?.parse().map_err(corrupt)?,
        code_hash: TokenHash::from_hex(&text("code_hash")?).map_err(corrupt)?,
        attempt_hash: TokenHash::from_hex(&text("attempt_hash")?).map_err(corrupt)?,
        new_email: row
            .try_get::<Option<String>, _>("new_email")
            .map_err(from_sqlx)?
            .map(|email| Email::parse(&email).map_err(corrupt))
            .transpose()?,
        created_at: row.try_get("created_at").map_err(from_sqlx)?,
        expires_at: row.try_get("expires_at").map_err(from_sqlx)?,
        wrong_attempts: count_from_db(row.try_get("wrong_attempts").map_err(from_sqlx)?)?,
        used_at: row.try_get("used_at").map_err(from_sqlx)?,
    })
}

fn reset_token_from_row(row: &PgRow) -> StoreResult<PasswordResetToken> {
    Ok(PasswordResetToken {
        token_hash: TokenHash::from_hex(
            &row.try_get::<String, _>("token_hash").map_err(from_sqlx)?,
        )
        .map_err(corrupt)?,
        account_id: UserId::from_uuid(row.try_get("account_id").map_err(from_sqlx)?),
        created_at: row.try_get("created_at").map_err(from_sqlx)?,
        expires_at: row.try_get("expires_at").map_err(from_sqlx)?,
        used_at: row.try_get("used_at").map_err(from_sqlx)?,
    })
}

/// Writes every field of `account` but its id, kind, password and creation time.
async fn update_account_row(conn: &mut PgConnection, account: &Account) -> StoreResult<()> {
    let professional = account.professional.as_ref();
    let totp = account.totp.as_ref();
    let done = sqlx::query(
        "UPDATE accounts SET email = $1, name = $2, phone = $3, organisation = $4, \
         job_role = $5, work_phone = $6, staff_role = $7, second_factor = $8, \
         totp_secret = $9, totp_last_step = $10, email_verified_at = $11, updated_at = $12 \
         WHERE id = $13",
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
    .bind(account.email_verified_at)
    .bind(account.updated_at)
    .bind(account.id.as_uuid())
    .execute(conn)
    .await
    .map_err(from_sqlx)?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

async fn insert_code(conn: &mut PgConnection, code: &OneTimeCode) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO one_time_codes \
         (id, account_id, purpose, code_hash, attempt_hash, new_email, created_at, expires_at, \
          wrong_attempts, used_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(code.id.as_uuid())
    .bind(code.account_id.as_uuid())
    .bind(code.purpose.code())
    .bind(code.code_hash.as_hex())
    .bind(code.attempt_hash.as_hex())
    .bind(code.new_email.as_ref().map(Email::as_str))
    .bind(code.created_at)
    .bind(code.expires_at)
    .bind(count_to_db(code.wrong_attempts)?)
    .bind(code.used_at)
    .execute(conn)
    .await
    .map_err(from_sqlx)?;
    Ok(())
}

async fn insert_recovery_codes(
    conn: &mut PgConnection,
    account: UserId,
    hashes: &[TokenHash],
    created_at: OffsetDateTime,
) -> StoreResult<()> {
    for hash in hashes {
        sqlx::query(
            "INSERT INTO recovery_codes (account_id, code_hash, created_at, used_at) \
             VALUES ($1, $2, $3, NULL)",
        )
        .bind(account.as_uuid())
        .bind(hash.as_hex())
        .bind(created_at)
        .execute(&mut *conn)
        .await
        .map_err(from_sqlx)?;
    }
    Ok(())
}

#[async_trait]
impl AccountStore for PgStore {
    #[tracing::instrument(level = "debug", name = "store.insert_account", skip_all)]
    async fn insert_account(&self, new: &NewAccount, effects: &Effects) -> StoreResult<()> {
        let account = &new.account;
        let professional = account.professional.as_ref();
        let totp = account.totp.as_ref();
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        sqlx::query(
            "INSERT INTO accounts \
             (id, kind, email, name, phone, organisation, job_role, work_phone, staff_role, \
              password_hash, second_factor, totp_secret, totp_last_step, email_verified_at, \
              created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        )
        .bind(account.id.as_uuid())
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
        .bind(account.email_verified_at)
        .bind(account.created_at)
        .bind(account.updated_at)
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        if let Some(link) = new.setup_link {
            let done = sqlx::query(
                "UPDATE staff_setup_links SET used_at = $1 WHERE id = $2 AND used_at IS NULL",
            )
            .bind(account.created_at)
            .bind(link.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
            if done.rows_affected() == 0 {
                return Err(conflict("staff_setup_links_used"));
            }
            // The new member of staff joins the link's team and groups.
            sqlx::query(
                "INSERT INTO staff_members (account_id, team_id, updated_at) \
                 SELECT $1, team_id, $2 FROM staff_setup_links WHERE id = $3",
            )
            .bind(account.id.as_uuid())
            .bind(account.created_at)
            .bind(link.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
            sqlx::query(
                "INSERT INTO staff_group_memberships (account_id, group_id) \
                 SELECT $1, group_id FROM staff_setup_link_groups WHERE link_id = $2",
            )
            .bind(account.id.as_uuid())
            .bind(link.as_uuid())
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
        let row = sqlx::query("SELECT * FROM accounts WHERE id = $1")
            .bind(id.as_uuid())
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlx)?;
        row.as_ref().map(account_from_row).transpose()
    }

    #[tracing::instrument(level = "debug", name = "store.account_by_email", skip_all)]
    async fn account_by_email(&self, email: &Email) -> StoreResult<Option<Account>> {
        let row = sqlx::query("SELECT * FROM accounts WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(from_sqlx)?;
        row.as_ref().map(account_from_row).transpose()
    }

    #[tracing::instrument(level = "debug", name = "store.update_account", skip_all)]
    async fn update_account(&self, account: &Account, effects: &Effects) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        update_account_row(&mut tx, account).await?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    #[tracing::instrument(level = "debug", name = "store.change_password", skip_all)]
    async fn change_password(&self, change: &PasswordChange, effects: &Effects) -> StoreResult<()> {
        let account = change.account_id.as_uuid();
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        if let Some(token) = &change.reset_token {
            let done = sqlx::query(
                "UPDATE password_reset_tokens SET used_at = $1 \
                 WHERE token_hash = $2 AND account_id = $3 AND used_at IS NULL",
            )
            .bind(change.changed_at)
            .bind(token.as_hex())
            .bind(account)
            .execute(&mut *tx)
            .await
            .map_err(from_sqlx)?;
            if done.rows_affected() == 0 {
                return Err(conflict("password_reset_tokens_used"));
            }
        }
        sqlx::query(
            "INSERT INTO password_history (account_id, password_hash, replaced_at) \
             SELECT id, password_hash, $1 FROM accounts WHERE id = $2",
        )
        .bind(change.changed_at)
        .bind(account)
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        let done =
            sqlx::query("UPDATE accounts SET password_hash = $1, updated_at = $2 WHERE id = $3")
                .bind(change.new_hash.as_phc())
                .bind(change.changed_at)
                .bind(account)
                .execute(&mut *tx)
                .await
                .map_err(from_sqlx)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND id_hash <> $2")
            .bind(account)
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
            "SELECT password_hash FROM password_history WHERE account_id = $1 \
             ORDER BY replaced_at DESC LIMIT $2",
        )
        .bind(id.as_uuid())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
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
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
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
            "SELECT * FROM one_time_codes WHERE account_id = $1 AND purpose = $2 \
             ORDER BY created_at DESC, id DESC LIMIT 1",
        )
        .bind(account.as_uuid())
        .bind(purpose.code())
        .fetch_optional(&self.pool)
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
             WHERE account_id = $1 AND purpose = $2 AND created_at >= $3",
        )
        .bind(account.as_uuid())
        .bind(purpose.code())
        .bind(since)
        .fetch_one(&self.pool)
        .await
        .map_err(from_sqlx)?;
        count(&row)
    }

    #[tracing::instrument(level = "debug", name = "store.record_wrong_code", skip_all)]
    async fn record_wrong_code(&self, id: OneTimeCodeId, effects: &Effects) -> StoreResult<u32> {
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        let row = sqlx::query(
            "UPDATE one_time_codes SET wrong_attempts = wrong_attempts + 1 WHERE id = $1 \
             RETURNING wrong_attempts",
        )
        .bind(id.as_uuid())
        .fetch_optional(&mut *tx)
        .await
        .map_err(from_sqlx)?
        .ok_or(StoreError::NotFound)?;
        let attempts = count_from_db(row.try_get("wrong_attempts").map_err(from_sqlx)?)?;
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
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        let done =
            sqlx::query("UPDATE one_time_codes SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
                .bind(used_at)
                .bind(id.as_uuid())
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
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        sqlx::query(
            "INSERT INTO password_reset_tokens \
             (token_hash, account_id, created_at, expires_at, used_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token.token_hash.as_hex())
        .bind(token.account_id.as_uuid())
        .bind(token.created_at)
        .bind(token.expires_at)
        .bind(token.used_at)
        .execute(&mut *tx)
        .await
        .map_err(from_sqlx)?;
        effects::write(&mut tx, effects).await?;
        tx.commit().await.map_err(from_sqlx)
    }

    #[tracing::instrument(level = "debug", name = "store.reset_token", skip_all)]
    async fn reset_token(&self, hash: &TokenHash) -> StoreResult<Option<PasswordResetToken>> {
        let row = sqlx::query("SELECT * FROM password_reset_tokens WHERE token_hash = $1")
            .bind(hash.as_hex())
            .fetch_optional(&self.pool)
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
             WHERE account_id = $1 AND created_at >= $2",
        )
        .bind(account.as_uuid())
        .bind(since)
        .fetch_one(&self.pool)
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
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        // The account first, so a missing one is `NotFound` rather than a
        // foreign-key failure on its codes.
        update_account_row(&mut tx, account).await?;
        sqlx::query("DELETE FROM recovery_codes WHERE account_id = $1")
            .bind(account.id.as_uuid())
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
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        let done = sqlx::query(
            "UPDATE recovery_codes SET used_at = $1 \
             WHERE account_id = $2 AND code_hash = $3 AND used_at IS NULL",
        )
        .bind(used_at)
        .bind(account.as_uuid())
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
            "SELECT COUNT(*) AS n FROM recovery_codes WHERE account_id = $1 AND used_at IS NULL",
        )
        .bind(account.as_uuid())
        .fetch_one(&self.pool)
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
        let mut tx = self.pool.begin().await.map_err(from_sqlx)?;
        let done = sqlx::query(
            "UPDATE accounts SET totp_last_step = $1 \
             WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(account.as_uuid())
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
            sqlx::query("SELECT failures, last_failure_at FROM sign_in_throttles WHERE key = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await
                .map_err(from_sqlx)?;
        row.map(|row| {
            Ok(ThrottleState {
                failures: count_from_db(row.try_get("failures").map_err(from_sqlx)?)?,
                last_failure_at: row.try_get("last_failure_at").map_err(from_sqlx)?,
            })
        })
        .transpose()
    }

    #[tracing::instrument(level = "debug", name = "store.set_throttle", skip_all)]
    async fn set_throttle(&self, key: &str, state: &ThrottleState) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sign_in_throttles (key, failures, last_failure_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, \
             last_failure_at = excluded.last_failure_at",
        )
        .bind(key)
        .bind(count_to_db(state.failures)?)
        .bind(state.last_failure_at)
        .execute(&self.pool)
        .await
        .map_err(from_sqlx)?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", name = "store.clear_throttle", skip_all)]
    async fn clear_throttle(&self, key: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sign_in_throttles WHERE key = $1")
            .bind(key)
            .execute(&self.pool)
            .await
            .map_err(from_sqlx)?;
        Ok(())
    }
}
