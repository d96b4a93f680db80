"""Fuzzy dwellings: each distinct address of the records placed at a dwelling among the
records' own addresses (``D:<postcode>|<flat>|<house>``), by the gazetteer's rules with the
records' addresses in place of the gazetteer (see :mod:`changemaker.insight.engine.addresses`).
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from changemaker.insight.engine.addresses.sql import SIMILARITY, STREET_SIMILARITY, temp_table


def fuzzy_dwellings(con: duckdb.DuckDBPyConnection, queries: pd.DataFrame) -> pd.DataFrame:
    """``dkey`` per query: its dwelling among the records' own addresses (see the module)."""
    temp_table(con, "q", queries)
    _written_dwellings(con)
    _moves(con)
    _keys(con)
    found = _with_orphans(con)
    for name in ("q", "dw", "mv", "keys"):
        con.execute(f"drop table if exists {name}")
    dkey = pd.Series(found["dkey"].to_numpy(), index=found["q"].to_numpy(dtype=np.int64))
    dkey = dkey[~dkey.index.duplicated()]
    out = queries.copy()
    out["dkey"] = out["q"].map(dkey).astype("object")
    out["dkey"] = out["dkey"].where(out["dkey"].notna(), None)
    return out


def _written_dwellings(con: duckdb.DuckDBPyConnection) -> None:
    """Table ``dw``: a dwelling as written: postcode + flat + house (a house name compared
    loosely in :func:`_moves`)."""
    con.execute(
        """
        create or replace temp table dw as
        select postcode, sector, sao, house, any_value(street) as street,
               count(*) as support, bool_or(number is null) as named
        from q where postcode is not null and house is not null and sao <> '?'
        group by postcode, sector, sao, house
        """
    )


def _moves(con: duckdb.DuckDBPyConnection) -> None:
    """Table ``mv``: where a written dwelling moves to.

    1. a named house written a little differently in one postcode: the commoner spelling;
    2. a mistyped postcode: the same flat, house and street in the sector, commoner postcode.
    """
    con.execute(
        """
        create or replace temp table mv as
        with candidates as (
          select a.postcode, a.sao, a.house, b.postcode as to_postcode, b.house as to_house,
                 b.support as to_support
          from dw a join dw b
            on a.postcode = b.postcode and a.sao = b.sao and a.named and b.named
           and a.house <> b.house
           and jaro_winkler_similarity(a.house, b.house) >= $name_similarity
           and (b.support > a.support or (b.support = a.support and b.house < a.house))
          union all
          select a.postcode, a.sao, a.house, b.postcode, b.house, b.support
          from dw a join dw b
            on a.sector = b.sector and a.sao = b.sao and a.house = b.house
           and a.postcode <> b.postcode
           and levenshtein(a.postcode, b.postcode) <= 1
           and (b.support > a.support or (b.support = a.support and b.postcode < a.postcode))
           and (a.street is null or b.street is null
                or jaro_winkler_similarity(a.street, b.street) >= $street_similarity)
        )
        select postcode, sao, house,
               arg_max(to_postcode, to_support) as to_postcode,
               arg_max(to_house, to_support) as to_house
        from candidates group by postcode, sao, house
        """,
        SIMILARITY,
    )


def _keys(con: duckdb.DuckDBPyConnection) -> None:
    """Table ``keys``: each query's dwelling key; a house written without its flat where the
    house is a building of flats says no dwelling."""
    con.execute(
        """
        create or replace temp table keys as
        with placed as (
          select q.q, q.postcode, q.sao, q.house, q.street,
                 coalesce(mv.to_postcode, q.postcode) as p2,
                 coalesce(mv.to_house, q.house) as h2
          from q left join mv
            on q.postcode = mv.postcode and q.sao = mv.sao and q.house = mv.house
          where q.postcode is not null and q.house is not null and q.sao <> '?'
        ), flats as (
          select distinct p2, h2 from placed where sao <> ''
        )
        select placed.q, placed.sao, placed.house, placed.street,
               case when placed.sao = '' and flats.p2 is not null
                    then null
                    else placed.p2 || '|' || placed.sao || '|' || placed.h2 end as dkey
        from placed left join flats on placed.sao = '' and placed.p2 = flats.p2
             and placed.h2 = flats.h2
        """
    )


def _with_orphans(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """(``q``, ``dkey``) of every placed query, and of each address without a postcode: the
    only dwelling with that flat, house and street."""
    return con.execute(
        """
        with known as (  -- one row per flat, house and street, with how many dwellings
          select sao, house, street, left(street, 2) as head,
                 right(split_part(street, ' ', 1), 3) as tail,
                 count(distinct dkey) as n, min(dkey) as dkey
          from keys where dkey is not null and street is not null group by sao, house, street
        ), orphans as (
          select q, sao, house, street, left(street, 2) as head,
                 right(split_part(street, ' ', 1), 3) as tail
          from q where postcode is null and house is not null and street is not null
        ), pairs as (  -- the street name's start or end written the same, then compared
          select o.q, o.street, k.street as known_street, k.dkey, k.n from orphans o
          join known k on o.sao = k.sao and o.house = k.house and o.head = k.head
          union
          select o.q, o.street, k.street, k.dkey, k.n from orphans o
          join known k on o.sao = k.sao and o.house = k.house and o.tail = k.tail
        )
        select q, min(dkey) as dkey from pairs
        where jaro_winkler_similarity(street, known_street) >= $street_similarity
        group by q having max(n) = 1 and count(distinct dkey) = 1
        union all
        select q, dkey from keys where dkey is not null
        """,
        {"street_similarity": STREET_SIMILARITY},
    ).df()
