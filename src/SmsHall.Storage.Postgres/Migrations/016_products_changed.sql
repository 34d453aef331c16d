-- Nodes keep the products (plans, extras and their names, data packs, rewards) in memory and read a
-- table again only when told it changed (PostgresProductCache). Told by the database itself, after
-- any statement on those tables, whoever ran it: a node, `smshall db seed`, or a DBA in psql. The
-- payload is the table's name; statement-level, so a statement writing many rows (or none) says
-- it once, and PostgreSQL sends one notification per transaction for each distinct payload.
-- The channel is PostgresProductCache.Channel.
CREATE FUNCTION smshall_products_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('smshall_products', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

CREATE TRIGGER plans_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plans
    FOR EACH STATEMENT EXECUTE FUNCTION smshall_products_changed();
CREATE TRIGGER extras_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON extras
    FOR EACH STATEMENT EXECUTE FUNCTION smshall_products_changed();
CREATE TRIGGER extra_names_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON extra_names
    FOR EACH STATEMENT EXECUTE FUNCTION smshall_products_changed();
CREATE TRIGGER data_packs_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON data_packs
    FOR EACH STATEMENT EXECUTE FUNCTION smshall_products_changed();
CREATE TRIGGER rewards_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rewards
    FOR EACH STATEMENT EXECUTE FUNCTION smshall_products_changed();
