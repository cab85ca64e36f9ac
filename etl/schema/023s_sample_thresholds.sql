-- 023s_sample_thresholds: the small-sample thresholds become settings rows, so that an admin sets
-- them on 目标与阈值 (etl/targets.py) like the targets; until now they were defaults in code only,
-- which an override cannot reach (an override replaces a row's value, queries/db.py).
insert or ignore into settings values
    ('min_replies', '30', '最少样本：有效回访（诉求按受理件数）少于此数的单位只显示、不参加排名'),
    ('min_respondents', '5', '警意调查最少答卷人数：答卷人少于此数的分组不显示数字和原文');
