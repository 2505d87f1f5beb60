-- The engine's compact state of a conversation (a fold of its events, see ConversationState), kept with every turn so
-- a turn reads one row instead of the whole log. NULL for conversations stored before it: rebuilt from their events.
ALTER TABLE conversations ADD COLUMN state JSONB;
