namespace LicenseConsole.Devices;

public sealed partial class BatchedDeviceConnections
{
    // Each connection's product and device, in input order; devices seen for the first time are created
    // (a concurrent creation by another batch wins and shows next time).
    private const string ResolveSql = """
        WITH input AS (
            SELECT * FROM unnest(@pk::text[], @dk::text[], @dc::text[]) WITH ORDINALITY AS i(pk, dk, dc, n)
        ),
        product AS (
            SELECT i.n, i.dk, i.dc, p.id AS product_id, p.account_id, p.spec_code, p.auto_renew, p.deleted_at IS NOT NULL AS deleted, s.validity_months
            FROM input i
            LEFT JOIN products p ON p.product_key = i.pk
            LEFT JOIN license_specs s ON s.code = p.spec_code
        ),
        created AS (
            INSERT INTO devices (account_id, product_id, device_key, auto_renew, created_at, activation_count, last_data_center, last_connected_at)
            SELECT DISTINCT ON (pr.product_id, pr.dk) pr.account_id, pr.product_id, pr.dk, true, @now, 0, pr.dc, @now
            FROM product pr
            WHERE pr.product_id IS NOT NULL AND NOT pr.deleted
              AND NOT EXISTS (SELECT 1 FROM devices d WHERE d.product_id = pr.product_id AND d.device_key = pr.dk)
            ON CONFLICT (product_id, device_key) DO NOTHING
            RETURNING id, product_id, device_key
        )
        SELECT pr.n, pr.product_id, pr.account_id, pr.spec_code, coalesce(pr.auto_renew, false), coalesce(pr.deleted, false), pr.validity_months,
               coalesce(d.id, c.id), coalesce(d.activation_count, 0), d.activated_at, d.expires_at, d.lapsed_at, d.deleted_at,
               coalesce(d.auto_renew, true), coalesce(d.last_data_center, pr.dc), coalesce(d.last_connected_at, @now)
        FROM product pr
        LEFT JOIN devices d ON d.product_id = pr.product_id AND d.device_key = pr.dk
        LEFT JOIN created c ON c.product_id = pr.product_id AND c.device_key = pr.dk
        """;

    private const string LockSql = "SELECT id FROM devices WHERE id = ANY(@ids) ORDER BY id FOR UPDATE";

    // Claims the devices still as they were read, locks their pools, grants each pool's remaining licenses to
    // its requests in arrival order, and records the periods. Answers, per request, claimable and granted.
    private const string ConsumeSql = """
        WITH request AS (
            SELECT * FROM unnest(@ord::int[], @id::bigint[], @seen::int[], @start::timestamptz[], @stop::timestamptz[], @kind::text[],
                                 @dc::text[], @product::bigint[], @account::uuid[], @spec::text[])
                AS r(ord, id, seen, start_at, stop_at, kind, dc, product_id, account_id, spec)
        ),
        claimable AS (
            SELECT request.* FROM request JOIN devices d ON d.id = request.id AND d.activation_count = request.seen
        ),
        pools AS (
            SELECT pp.product_id, pp.total - pp.used AS available
            FROM product_pools pp
            JOIN products p ON p.id = pp.product_id AND p.deleted_at IS NULL
            WHERE pp.product_id IN (SELECT DISTINCT product_id FROM claimable)
            ORDER BY pp.product_id
            FOR UPDATE OF pp
        ),
        granted AS (
            SELECT c.*
            FROM (SELECT claimable.*, row_number() OVER (PARTITION BY claimable.product_id ORDER BY claimable.ord) AS rank FROM claimable) c
            JOIN pools p ON p.product_id = c.product_id
            WHERE c.rank <= p.available
        ),
        claimed AS (
            UPDATE devices d
            SET activated_at = g.start_at, expires_at = g.stop_at, first_activated_at = coalesce(d.first_activated_at, g.start_at),
                lapsed_at = NULL, lapse_reason = NULL, deleted_at = NULL, activation_count = d.activation_count + 1,
                last_data_center = g.dc, last_connected_at = @now
            FROM granted g
            WHERE d.id = g.id
            RETURNING d.id
        ),
        taken AS (
            UPDATE product_pools pp SET used = pp.used + t.n
            FROM (SELECT product_id, count(*) AS n FROM granted GROUP BY product_id) t
            WHERE pp.product_id = t.product_id
            RETURNING pp.product_id
        ),
        recorded AS (
            INSERT INTO activations (account_id, product_id, device_id, spec_code, activated_at, expires_at, kind, data_center, recorded_at)
            SELECT account_id, product_id, id, spec, start_at, stop_at, kind, dc, @now FROM granted
            RETURNING id
        )
        SELECT r.ord, c.id IS NOT NULL, g.id IS NOT NULL, (SELECT count(*) FROM claimed), (SELECT count(*) FROM recorded)
        FROM request r
        LEFT JOIN claimable c ON c.ord = r.ord
        LEFT JOIN granted g ON g.ord = r.ord
        """;

    private const string RestoreSql = """
        UPDATE devices d SET deleted_at = NULL, last_data_center = r.dc, last_connected_at = @now
        FROM unnest(@id::bigint[], @seen::int[], @dc::text[]) AS r(id, seen, dc)
        WHERE d.id = r.id AND d.deleted_at IS NOT NULL AND d.activation_count = r.seen AND d.expires_at > @now
        RETURNING d.id
        """;

    private const string LapseSql = """
        UPDATE devices d SET lapsed_at = d.expires_at, lapse_reason = l.reason
        FROM unnest(@id::bigint[], @seen::int[], @reason::text[]) AS l(id, seen, reason)
        WHERE d.id = l.id AND d.lapsed_at IS NULL AND d.activation_count = l.seen
        """;

    private const string TouchSql = """
        UPDATE devices d SET last_data_center = t.dc, last_connected_at = @now
        FROM unnest(@id::bigint[], @dc::text[]) AS t(id, dc)
        WHERE d.id = t.id
        """;
}
