-- FreeRADIUS 3's own tables, exactly as its mods-config/sql/main/postgresql/schema.sql
-- defines them (names, columns, types, indexes), in their own schema so an
-- unmodified rlm_sql reads them through the narrow `radius` role.
CREATE SCHEMA IF NOT EXISTS radius;
--> statement-breakpoint
CREATE TABLE radius.radacct (
	RadAcctId		bigserial PRIMARY KEY,
	AcctSessionId		text NOT NULL,
	AcctUniqueId		text NOT NULL UNIQUE,
	UserName		text,
	Realm			text,
	NASIPAddress		inet NOT NULL,
	NASPortId		text,
	NASPortType		text,
	AcctStartTime		timestamp with time zone,
	AcctUpdateTime		timestamp with time zone,
	AcctStopTime		timestamp with time zone,
	AcctInterval		bigint,
	AcctSessionTime		bigint,
	AcctAuthentic		text,
	ConnectInfo_start	text,
	ConnectInfo_stop	text,
	AcctInputOctets		bigint,
	AcctOutputOctets	bigint,
	CalledStationId		text,
	CallingStationId	text,
	AcctTerminateCause	text,
	ServiceType		text,
	FramedProtocol		text,
	FramedIPAddress		inet,
	FramedIPv6Address	inet,
	FramedIPv6Prefix	inet,
	FramedInterfaceId	text,
	DelegatedIPv6Prefix	inet,
	Class			text
);
--> statement-breakpoint
CREATE INDEX radacct_active_session_idx ON radius.radacct (AcctUniqueId) WHERE AcctStopTime IS NULL;
--> statement-breakpoint
CREATE INDEX radacct_bulk_close ON radius.radacct (NASIPAddress, AcctStartTime) WHERE AcctStopTime IS NULL;
--> statement-breakpoint
CREATE INDEX radacct_start_user_idx ON radius.radacct (AcctStartTime, UserName);
--> statement-breakpoint
CREATE INDEX radacct_calss_idx ON radius.radacct (Class);
--> statement-breakpoint
-- Lastmile's own lookups: a customer's open sessions, its last sessions, and "Online now" newest first.
CREATE INDEX radacct_lastmile_open_user_idx ON radius.radacct (UserName) WHERE AcctStopTime IS NULL;
--> statement-breakpoint
CREATE INDEX radacct_lastmile_user_start_idx ON radius.radacct (UserName, AcctStartTime DESC);
--> statement-breakpoint
CREATE INDEX radacct_lastmile_open_start_idx ON radius.radacct (AcctStartTime DESC, RadAcctId DESC) WHERE AcctStopTime IS NULL;
--> statement-breakpoint
CREATE TABLE radius.radcheck (
	id			serial PRIMARY KEY,
	UserName		text NOT NULL DEFAULT '',
	Attribute		text NOT NULL DEFAULT '',
	op			VARCHAR(2) NOT NULL DEFAULT '==',
	Value			text NOT NULL DEFAULT ''
);
--> statement-breakpoint
CREATE INDEX radcheck_UserName ON radius.radcheck (UserName,Attribute);
--> statement-breakpoint
CREATE TABLE radius.radgroupcheck (
	id			serial PRIMARY KEY,
	GroupName		text NOT NULL DEFAULT '',
	Attribute		text NOT NULL DEFAULT '',
	op			VARCHAR(2) NOT NULL DEFAULT '==',
	Value			text NOT NULL DEFAULT ''
);
--> statement-breakpoint
CREATE INDEX radgroupcheck_GroupName ON radius.radgroupcheck (GroupName,Attribute);
--> statement-breakpoint
CREATE TABLE radius.radgroupreply (
	id			serial PRIMARY KEY,
	GroupName		text NOT NULL DEFAULT '',
	Attribute		text NOT NULL DEFAULT '',
	op			VARCHAR(2) NOT NULL DEFAULT '=',
	Value			text NOT NULL DEFAULT ''
);
--> statement-breakpoint
CREATE INDEX radgroupreply_GroupName ON radius.radgroupreply (GroupName,Attribute);
--> statement-breakpoint
CREATE TABLE radius.radreply (
	id			serial PRIMARY KEY,
	UserName		text NOT NULL DEFAULT '',
	Attribute		text NOT NULL DEFAULT '',
	op			VARCHAR(2) NOT NULL DEFAULT '=',
	Value			text NOT NULL DEFAULT ''
);
--> statement-breakpoint
CREATE INDEX radreply_UserName ON radius.radreply (UserName,Attribute);
--> statement-breakpoint
CREATE TABLE radius.radusergroup (
	id			serial PRIMARY KEY,
	UserName		text NOT NULL DEFAULT '',
	GroupName		text NOT NULL DEFAULT '',
	priority		integer NOT NULL DEFAULT 0
);
--> statement-breakpoint
CREATE INDEX radusergroup_UserName ON radius.radusergroup (UserName);
--> statement-breakpoint
CREATE TABLE radius.radpostauth (
	id			bigserial PRIMARY KEY,
	username		text NOT NULL,
	pass			text,
	reply			text,
	CalledStationId		text,
	CallingStationId	text,
	authdate		timestamp with time zone NOT NULL default now(),
	Class			text
);
--> statement-breakpoint
CREATE INDEX radpostauth_username_idx ON radius.radpostauth (username);
--> statement-breakpoint
CREATE INDEX radpostauth_class_idx ON radius.radpostauth (Class);
--> statement-breakpoint
CREATE TABLE radius.nas (
	id			serial PRIMARY KEY,
	nasname			text NOT NULL,
	shortname		text NOT NULL,
	type			text NOT NULL DEFAULT 'other',
	ports			integer,
	secret			text NOT NULL,
	server			text,
	community		text,
	description		text
);
--> statement-breakpoint
CREATE INDEX nas_nasname ON radius.nas (nasname);
--> statement-breakpoint
CREATE TABLE radius.nasreload (
	NASIPAddress		inet PRIMARY KEY,
	ReloadTime		timestamp with time zone NOT NULL
);
--> statement-breakpoint
-- Lastmile's side of the routers: where each one listens for RFC 5176 Disconnect/CoA.
CREATE TABLE radius_nas_settings (
	nas_id integer PRIMARY KEY REFERENCES radius.nas(id) ON DELETE CASCADE,
	coa_port integer NOT NULL DEFAULT 3799 CHECK (coa_port BETWEEN 1 AND 65535),
	updated_at timestamp with time zone NOT NULL DEFAULT now()
);
--> statement-breakpoint
-- The disconnect outbox: written in the billing command's transaction, sent after commit.
CREATE TABLE radius_disconnects (
	id bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	kind text NOT NULL CHECK (kind IN ('disconnect', 'coa')),
	reason text NOT NULL CHECK (reason IN ('customer_suspended', 'reseller_suspended', 'expired', 'no_service', 'package_changed')),
	customer_id uuid REFERENCES customers(id),
	username text NOT NULL,
	radacct_id bigint NOT NULL,
	acct_session_id text NOT NULL,
	nas_ip_address inet NOT NULL,
	framed_ip_address inet,
	status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'acked', 'failed')),
	attempts integer NOT NULL DEFAULT 0,
	next_attempt_at timestamp with time zone NOT NULL DEFAULT now(),
	last_outcome text CHECK (last_outcome IN ('ack', 'nak', 'timeout', 'error')),
	created_at timestamp with time zone NOT NULL DEFAULT lastmile_now(),
	completed_at timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX radius_disconnects_due_idx ON radius_disconnects (next_attempt_at, id) WHERE status = 'pending';
--> statement-breakpoint
CREATE INDEX radius_disconnects_customer_idx ON radius_disconnects (customer_id, id);
--> statement-breakpoint
CREATE INDEX radius_disconnects_created_idx ON radius_disconnects (created_at, id);
--> statement-breakpoint
CREATE TABLE radius_disconnect_attempts (
	id bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	disconnect_id bigint NOT NULL REFERENCES radius_disconnects(id),
	outcome text NOT NULL CHECK (outcome IN ('ack', 'nak', 'timeout', 'error')),
	detail text,
	created_at timestamp with time zone NOT NULL DEFAULT now()
);
--> statement-breakpoint
CREATE INDEX radius_disconnect_attempts_disconnect_idx ON radius_disconnect_attempts (disconnect_id, id);
--> statement-breakpoint
-- Where the expiry sweep got to: customers whose service ended after this instant are still to be disconnected.
CREATE TABLE radius_expiry_sweep (
	id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
	swept_until timestamp with time zone NOT NULL
);
--> statement-breakpoint
INSERT INTO radius_expiry_sweep (id, swept_until) VALUES (1, now());
--> statement-breakpoint
-- FreeRADIUS's role: reads the check/reply/group tables and its clients, writes accounting and post-auth only.
-- Creating it needs CREATEROLE; where the migrating owner lacks it, a DBA creates `radius` and the grants below follow.
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'radius') THEN
		BEGIN
			CREATE ROLE radius NOLOGIN;
		EXCEPTION WHEN insufficient_privilege OR duplicate_object THEN
			RAISE NOTICE 'role radius not created: %', SQLERRM;
		END;
	END IF;
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'radius') THEN
		GRANT USAGE ON SCHEMA radius TO radius;
		GRANT SELECT ON radius.radcheck, radius.radreply, radius.radusergroup, radius.radgroupcheck, radius.radgroupreply, radius.nas TO radius;
		GRANT SELECT, INSERT, UPDATE ON radius.radacct TO radius;
		GRANT INSERT, UPDATE ON radius.radpostauth TO radius;
		GRANT USAGE ON SEQUENCE radius.radacct_radacctid_seq, radius.radpostauth_id_seq TO radius;
	END IF;
END
$$;
--> statement-breakpoint
-- What the RADIUS rows must say, derived from the books: provisioning writes exactly these rows
-- (lib/radius/provision.ts) and checkInvariants compares the tables with them.
-- A customer is let in with its latest counting package only while it and its reseller are active;
-- otherwise (suspended, never paid, every charge reversed) it is in the reject group. Expiration
-- (epoch seconds, so no time zone is involved) makes FreeRADIUS refuse it once its service ends.
CREATE VIEW radius_expected_users AS
SELECT c.id AS customer_id, c.reseller_id, c.username, c.service_password, c.expires_at,
	c.status AS customer_status, r.status AS reseller_status, s.package_id,
	CASE WHEN c.status = 'active' AND r.status = 'active' AND s.package_id IS NOT NULL
		THEN 'lastmile-package-' || s.package_id ELSE 'lastmile-suspended' END AS groupname
FROM customers c
JOIN resellers r ON r.id = c.reseller_id
LEFT JOIN LATERAL (
	SELECT package_id FROM subscriptions s
	WHERE s.customer_id = c.id AND s.reversed_at IS NULL
	ORDER BY s.expires_at DESC, s.created_at DESC LIMIT 1
) s ON true;
--> statement-breakpoint
CREATE VIEW radius_expected_radcheck AS
SELECT customer_id, reseller_id, username, 'Cleartext-Password'::text AS attribute, ':='::varchar(2) AS op, service_password AS value
FROM radius_expected_users
UNION ALL
SELECT customer_id, reseller_id, username, 'Expiration', ':=', floor(extract(epoch FROM expires_at))::bigint::text
FROM radius_expected_users WHERE expires_at IS NOT NULL;
--> statement-breakpoint
CREATE VIEW radius_expected_radusergroup AS
SELECT customer_id, reseller_id, username, groupname, 1 AS priority FROM radius_expected_users;
--> statement-breakpoint
CREATE VIEW radius_expected_radgroupcheck AS
SELECT 'lastmile-package-' || id AS groupname, 'Simultaneous-Use'::text AS attribute, ':='::varchar(2) AS op, simultaneous_use::text AS value FROM packages
UNION ALL
SELECT 'lastmile-suspended', 'Auth-Type', ':=', 'Reject';
--> statement-breakpoint
CREATE VIEW radius_expected_radgroupreply AS
SELECT 'lastmile-package-' || id AS groupname, 'Mikrotik-Rate-Limit'::text AS attribute, ':='::varchar(2) AS op,
	upload_mbps || 'M/' || download_mbps || 'M' AS value FROM packages
UNION ALL
SELECT 'lastmile-package-' || id, 'Framed-Pool', ':=', framed_pool FROM packages WHERE framed_pool IS NOT NULL
UNION ALL
SELECT 'lastmile-suspended', 'Reply-Message', ':=', 'Service suspended or not paid';
--> statement-breakpoint
INSERT INTO radius.radgroupcheck (groupname, attribute, op, value) SELECT groupname, attribute, op, value FROM radius_expected_radgroupcheck;
--> statement-breakpoint
INSERT INTO radius.radgroupreply (groupname, attribute, op, value) SELECT groupname, attribute, op, value FROM radius_expected_radgroupreply;
--> statement-breakpoint
INSERT INTO radius.radcheck (username, attribute, op, value) SELECT username, attribute, op, value FROM radius_expected_radcheck;
--> statement-breakpoint
INSERT INTO radius.radusergroup (username, groupname, priority) SELECT username, groupname, priority FROM radius_expected_radusergroup;
