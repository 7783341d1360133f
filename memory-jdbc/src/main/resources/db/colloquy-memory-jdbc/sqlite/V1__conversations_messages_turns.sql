-- Colloquy conversation memory (colloquy-memory-jdbc), schema version 1, SQLite.
-- The same tables as the PostgreSQL scripts; times are UTC text of fixed width
-- (2026-01-02T03:04:05.123456Z), so they sort and compare as text and read as dates.
-- Applied by Flyway with its own history table, ${prefix}schema_history.

CREATE TABLE ${prefix}conversation (
    id            TEXT    NOT NULL,
    tenant        TEXT    NOT NULL,
    version       INTEGER NOT NULL,
    message_count INTEGER NOT NULL,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    CONSTRAINT ${prefix}conversation_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}conversation_version_positive CHECK (version > 0),
    CONSTRAINT ${prefix}conversation_message_count_not_negative CHECK (message_count >= 0)
);

CREATE INDEX ${prefix}conversation_tenant_updated ON ${prefix}conversation (tenant, updated_at);
CREATE INDEX ${prefix}conversation_updated ON ${prefix}conversation (updated_at);

CREATE TABLE ${prefix}message (
    conversation_id TEXT    NOT NULL,
    position        INTEGER NOT NULL,
    kind            TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    CONSTRAINT ${prefix}message_pk PRIMARY KEY (conversation_id, position),
    CONSTRAINT ${prefix}message_conversation_fk FOREIGN KEY (conversation_id)
        REFERENCES ${prefix}conversation (id) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE ${prefix}turn (
    conversation_id TEXT    NOT NULL,
    position        INTEGER NOT NULL,
    tenant          TEXT    NOT NULL,
    model_id        TEXT    NOT NULL,
    input_tokens    INTEGER NOT NULL,
    output_tokens   INTEGER NOT NULL,
    committed_at    TEXT    NOT NULL,
    CONSTRAINT ${prefix}turn_pk PRIMARY KEY (conversation_id, position),
    CONSTRAINT ${prefix}turn_conversation_fk FOREIGN KEY (conversation_id)
        REFERENCES ${prefix}conversation (id) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE INDEX ${prefix}turn_tenant_committed ON ${prefix}turn (tenant, committed_at);
