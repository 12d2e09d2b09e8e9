-- Every committed change to api_key (a revocation through the API, an UPDATE or DELETE by hand, a TRUNCATE) is
-- announced on the channel api_key_changed, so each replica forgets the keys it keeps in memory (API_KEY_CACHE_MS).
-- Nothing existing is rewritten. PostgreSQL delivers the notification when the change commits, never before.

CREATE FUNCTION "api_key_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('api_key_changed', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER "api_key_changed" AFTER UPDATE OR DELETE OR TRUNCATE ON "api_key"
  FOR EACH STATEMENT EXECUTE FUNCTION "api_key_changed"();
