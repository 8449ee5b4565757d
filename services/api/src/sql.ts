/** SQL fragments the repositories and services share. */

/** A timestamp column as an ISO-8601 UTC string (…T…Z), as the API answers it. */
export const isoSql = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
