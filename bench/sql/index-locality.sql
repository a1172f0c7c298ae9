-- Hashed against time-ordered uuid keys on a grown unique index (why tickets and Insights' facts have time-ordered
-- ids since 2026-12-04: services/Ticketing.ServiceDefaults/Persistence/NameBasedIds.cs).
-- Two tables of 5,000,000 rows with a uuid primary key: one keyed by hashes (spread over the whole range, as SHA-256
-- ids are), one by ids that begin with the time of each row (one row a millisecond). After a checkpoint, 150,000 new
-- rows go into each (a stadium sale's facts), each in one statement: the time it takes and the WAL it writes (the
-- first change of a page after a checkpoint writes the whole page to the WAL), then the same again in the other order.
-- Run (about a minute and a half, in a scratch database it drops at the end):
--   psql -h 127.0.0.1 -p 55432 -U postgres -f bench/sql/index-locality.sql
\set ON_ERROR_STOP on
create database ticketing_bench_index_locality;
\c ticketing_bench_index_locality
create table hashed (id uuid primary key, data text);
create table ordered (id uuid primary key, data text);
insert into hashed select md5(i::text)::uuid, 'x' from generate_series(1, 5000000) i;
insert into ordered select (lpad(to_hex(1761955200000 + i), 12, '0') || substr(md5(i::text), 13))::uuid, 'x' from generate_series(1, 5000000) i;
vacuum analyze hashed;
vacuum analyze ordered;
select pg_size_pretty(pg_relation_size('hashed_pkey')) as hashed_index, pg_size_pretty(pg_relation_size('ordered_pkey')) as ordered_index;
\timing on
checkpoint;
select pg_current_wal_lsn() as start \gset
insert into hashed select md5((10000000 + i)::text)::uuid, 'x' from generate_series(1, 150000) i;
select 'hashed, first' as run, pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), :'start')) as wal;
checkpoint;
select pg_current_wal_lsn() as start \gset
insert into ordered select (lpad(to_hex(1764806400000 + i), 12, '0') || substr(md5((10000000 + i)::text), 13))::uuid, 'x' from generate_series(1, 150000) i;
select 'time-ordered, second' as run, pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), :'start')) as wal;
checkpoint;
select pg_current_wal_lsn() as start \gset
insert into ordered select (lpad(to_hex(1764906400000 + i), 12, '0') || substr(md5((20000000 + i)::text), 13))::uuid, 'x' from generate_series(1, 150000) i;
select 'time-ordered, first' as run, pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), :'start')) as wal;
checkpoint;
select pg_current_wal_lsn() as start \gset
insert into hashed select md5((20000000 + i)::text)::uuid, 'x' from generate_series(1, 150000) i;
select 'hashed, second' as run, pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), :'start')) as wal;
\timing off
\c postgres
drop database ticketing_bench_index_locality;
