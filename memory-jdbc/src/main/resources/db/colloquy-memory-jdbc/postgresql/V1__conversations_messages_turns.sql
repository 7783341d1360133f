-- Colloquy conversation memory (colloquy-memory-jdbc), schema version 1, PostgreSQL.
-- Applied by Flyway with its own history table, ${prefix}schema_history; ${prefix} is the
-- store's table prefix (default colloquy_). docs/persistence.md explains every column.

-- One row per conversation. version counts the saves and is the compare-and-set token:
-- a save is UPDATE ... SET version = version + 1 WHERE id = ? AND version = ?.
CREATE TABLE ${prefix}conversation (
    id            VARCHAR(255)             NOT NULL,
    tenant        VARCHAR(255)             NOT NULL,
    version       BIGINT                   NOT NULL,
    message_count INTEGER                  NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT ${prefix}conversation_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}conversation_version_positive CHECK (version > 0),
    CONSTRAINT ${prefix}conversation_message_count_not_negative CHECK (message_count >= 0)
);

-- list(tenant), most recent first; deleteTenant.
CREATE INDEX ${prefix}conversation_tenant_updated ON ${prefix}conversation (tenant, updated_at);
-- deleteIdleSince, the retention sweep.
CREATE INDEX ${prefix}conversation_updated ON ${prefix}conversation (updated_at);

-- The messages in the window, oldest first by position. position numbers a conversation's
-- messages from its first save on and never goes back, so the window's cut shows as a gap at the
-- start. body is the message as one JSON object (MessageCodec), kept as text: jsonb would reject
-- the \u0000 escape a message may contain. kind repeats the body's "kind" for queries.
CREATE TABLE ${prefix}message (
    conversation_id VARCHAR(255) NOT NULL,
    position        BIGINT       NOT NULL,
    kind            VARCHAR(16)  NOT NULL,
    body            TEXT         NOT NULL,
    CONSTRAINT ${prefix}message_pk PRIMARY KEY (conversation_id, position),
    CONSTRAINT ${prefix}message_conversation_fk FOREIGN KEY (conversation_id)
        REFERENCES ${prefix}conversation (id) ON DELETE CASCADE
);

-- The records of the most recent turns, oldest first by position: who the turn was for, which
-- model answered and what it cost.
CREATE TABLE ${prefix}turn (
    conversation_id VARCHAR(255)             NOT NULL,
    position        BIGINT                   NOT NULL,
    tenant          VARCHAR(255)             NOT NULL,
    model_id        VARCHAR(255)             NOT NULL,
    input_tokens    BIGINT                   NOT NULL,
    output_tokens   BIGINT                   NOT NULL,
    committed_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT ${prefix}turn_pk PRIMARY KEY (conversation_id, position),
    CONSTRAINT ${prefix}turn_conversation_fk FOREIGN KEY (conversation_id)
        REFERENCES ${prefix}conversation (id) ON DELETE CASCADE
);

-- Usage per tenant over time.
CREATE INDEX ${prefix}turn_tenant_committed ON ${prefix}turn (tenant, committed_at);
