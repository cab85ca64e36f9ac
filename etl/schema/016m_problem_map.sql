-- 016m_problem_map: the shared problem taxonomy (kind problem_map, 共同问题对应), so that what
-- citizens complain about and what officers suggest can be set side by side on the same problems
-- (民意与警意, unit profile). One row per category of one side mapped onto a problem; a category
-- that is a parent in category_tree maps its descendants too (matched through category_in).
create table problem_map (
    problem   varchar not null,
    side      varchar not null,  -- 群众诉求 (complaint categories) / 民警建议 (suggestion categories)
    category  varchar not null,
    import_id bigint
);
