-- FreeRADIUS's Simultaneous-Use count (simul_count_query) joins radacct with nasreload to ignore sessions
-- older than a NAS's last reboot. Without SELECT on nasreload that query failed with "permission denied" on
-- every Access-Request of a package with Simultaneous-Use (all of them), so the limit was not enforced and
-- each request cost a failed statement. The role reads it like the other tables it checks against.
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'radius') THEN
		GRANT SELECT ON radius.nasreload TO radius;
	END IF;
END
$$;
