//! The portal's integration tests: the real application on a fresh database.

mod support;

mod accounts;
mod admin_texts;
mod advice;
mod assets;
mod audit_log;
mod back_office;
mod banners;
mod browser;
mod browser_advice;
mod browser_forms;
mod browser_people;
mod commands;
mod configuration;
mod conflicts;
mod crash_consistency;
mod deadlines;
mod emails;
mod errors;
mod forms;
mod forms_builder;
mod incoming_forms;
mod jobs;
mod messages;
mod navigation;
mod notifications;
mod operational;
mod pages;
mod paths;
mod people;
mod portal_access;
mod security_headers;
mod sessions;
mod snapshots;
mod staff_setup;
