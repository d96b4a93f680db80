"""UPRN matching: each distinct address of the records to the one gazetteer entry it is
(same postcode, flat and house, street nearly the same; a house name written a little
differently; flat 1 of a named building; a mistyped postcode in the same sector; or no
postcode and the only entry with that flat, house and street)."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from changemaker.insight.engine.addresses.sql import SIMILARITY, temp_table


def match_gazetteer(
    con: duckdb.DuckDBPyConnection, queries: pd.DataFrame, gazetteer: pd.DataFrame
) -> pd.Series:
    """The UPRN of each query (``None`` where no single entry matches)."""
    g = gazetteer.assign(
        sao=gazetteer["sao"].fillna(""),
        house=gazetteer["number"].where(gazetteer["number"].notna(), gazetteer["name"]),
    )
    temp_table(con, "g", g)
    temp_table(con, "qq", queries)
    # The sector of a postcode "XM1 1AB" is "XM1 1": both sides use it the same way.
    found = con.execute(
        """
        with g2 as (select *, substr(postcode, 1, length(postcode) - 2) as sec from g),
        exact as (  -- same postcode, flat and house; street (if both given) nearly the same
          select qq.q, g2.uprn, 3 as rank from qq join g2
            on qq.postcode = g2.postcode and qq.sao = g2.sao and qq.house = g2.house
          where not qq.typed or g2.street is null
             or jaro_winkler_similarity(qq.street, g2.street) >= $street_similarity
        ), named as (  -- a house name written a little differently, same postcode
          select qq.q, g2.uprn, 2 as rank from qq join g2
            on qq.postcode = g2.postcode and qq.sao = g2.sao
           and qq.number is null and g2.number is null and qq.house <> g2.house
           and (jaro_winkler_similarity(qq.house, g2.house) >= $name_similarity
                or starts_with(qq.house, g2.house || ' '))
        ), block as (  -- "1 Maple Court": flat 1 of the building named Maple Court
          select qq.q, g2.uprn, 2 as rank from qq join g2
            on qq.postcode = g2.postcode and qq.sao = '' and g2.sao = qq.number
           and g2.name is not null and qq.street is not null
           and jaro_winkler_similarity(qq.street, g2.name) >= $name_similarity
        ), sector as (  -- a mistyped postcode: same sector, flat, house and street
          select qq.q, g2.uprn, 1 as rank from qq join g2
            on qq.sector = g2.sec and qq.postcode <> g2.postcode
           and qq.sao = g2.sao and qq.house = g2.house
          where qq.street is not null and g2.street is not null
            and jaro_winkler_similarity(qq.street, g2.street) >= $street_similarity
        ), orphans as (
          select q, sao, house, street, left(street, 2) as head,
                 right(split_part(street, ' ', 1), 3) as tail
          from qq where postcode is null and house is not null and street is not null
        ), g3 as (  -- one row per flat, house and street, with how many addresses have them
          select sao, house, street, left(street, 2) as head,
                 right(split_part(street, ' ', 1), 3) as tail, count(*) as n, min(uprn) as uprn
          from g where street is not null group by sao, house, street
        ), nopostcode as (  -- no postcode: the one address with that flat, house and street
          select q, min(uprn) as uprn, 0 as rank from (
            select o.q, g3.uprn, g3.n, o.street, g3.street as g_street from orphans o join g3
              on o.sao = g3.sao and o.house = g3.house and o.head = g3.head
            union
            select o.q, g3.uprn, g3.n, o.street, g3.street from orphans o join g3
              on o.sao = g3.sao and o.house = g3.house and o.tail = g3.tail
          ) where jaro_winkler_similarity(street, g_street) >= $street_similarity
          group by q having max(n) = 1 and count(distinct uprn) = 1
        ), every as (
          select * from exact union all select * from named union all select * from block
          union all select * from sector union all select * from nopostcode
        ), best as (
          select q, max(rank) as rank from every group by q
        )
        select every.q, min(every.uprn) as uprn from every join best using (q, rank)
        group by every.q having count(distinct every.uprn) = 1
        """,
        SIMILARITY,
    ).df()
    con.execute("drop table if exists g")
    con.execute("drop table if exists qq")
    uprn = pd.Series(found["uprn"].to_numpy(), index=found["q"].to_numpy(dtype=np.int64))
    mapped = queries["q"].map(uprn)
    return mapped.astype("object").where(mapped.notna(), None)
