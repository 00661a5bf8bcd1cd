-- FreeRADIUS's per-request statements as functions in the radius schema. rlm_sql sends plain text
-- queries, so PostgreSQL parsed and planned each of them on every Access-Request (about three quarters
-- of the request's database CPU). A PL/pgSQL function keeps its statements' plans per connection, so
-- only a trivial call is planned. The queries are the ones radius:config wrote before (check items
-- and reply items each the user's then its group's; the Simultaneous-Use count of open sessions
-- started after the NAS's last reload). Security invoker: they read and write only what the radius
-- role itself may.
CREATE FUNCTION radius.authorize_check(user_name text)
RETURNS TABLE (id integer, username text, attribute text, value text, op varchar)
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN QUERY
	SELECT q.id, q.username, q.attribute, q.value, q.op FROM (
		SELECT 0 AS part, 0 AS priority, i.id, i.username, i.attribute, i.value, i.op
		FROM radius.radcheck i WHERE i.username = user_name
		UNION ALL
		SELECT 1, u.priority, g.id, u.username, g.attribute, g.value, g.op
		FROM radius.radusergroup u JOIN radius.radgroupcheck g ON g.groupname = u.groupname
		WHERE u.username = user_name
	) q ORDER BY q.part, q.priority, q.id;
END
$$;
--> statement-breakpoint
CREATE FUNCTION radius.authorize_reply(user_name text)
RETURNS TABLE (id integer, username text, attribute text, value text, op varchar)
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN QUERY
	SELECT q.id, q.username, q.attribute, q.value, q.op FROM (
		SELECT 0 AS part, 0 AS priority, i.id, i.username, i.attribute, i.value, i.op
		FROM radius.radreply i WHERE i.username = user_name
		UNION ALL
		SELECT 1, u.priority, g.id, u.username, g.attribute, g.value, g.op
		FROM radius.radusergroup u JOIN radius.radgroupreply g ON g.groupname = u.groupname
		WHERE u.username = user_name
	) q ORDER BY q.part, q.priority, q.id;
END
$$;
--> statement-breakpoint
CREATE FUNCTION radius.open_sessions(user_name text)
RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (
		SELECT count(a.radacctid)
		FROM radius.radacct a LEFT JOIN radius.nasreload n ON n.nasipaddress = a.nasipaddress
		WHERE a.username = user_name AND a.acctstoptime IS NULL
			AND (a.acctstarttime > n.reloadtime OR n.reloadtime IS NULL)
	);
END
$$;
--> statement-breakpoint
-- The post-auth log: who was answered what, and when. Not the password tried (stock FreeRADIUS logs it in
-- clear, which would keep every customer's mistyped passwords in a table). Committed without waiting for
-- the WAL flush, which was most of an Access-Request's wait: a database crash may lose the last fraction
-- of a second of this log, never an accounting row (those statements stay synchronous).
CREATE FUNCTION radius.log_auth(user_name text, reply text, at timestamptz)
RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
	PERFORM pg_catalog.set_config('synchronous_commit', 'off', true);
	INSERT INTO radius.radpostauth (username, pass, reply, authdate) VALUES (user_name, '', reply, at);
END
$$;
--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION radius.authorize_check(text), radius.authorize_reply(text), radius.open_sessions(text), radius.log_auth(text, text, timestamptz) FROM PUBLIC;
--> statement-breakpoint
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'radius') THEN
		GRANT EXECUTE ON FUNCTION radius.authorize_check(text), radius.authorize_reply(text), radius.open_sessions(text), radius.log_auth(text, text, timestamptz) TO radius;
	END IF;
END
$$;
