-- title: Reports published in a window (seed 004: Nov 2013 – Oct 2014)
-- SIF reports published November 2013 to October 2014, by overall grade
SELECT p.grade, count(*) AS n
FROM published_between('overall_effectiveness', DATE '2013-11-01', DATE '2014-10-31',
                       framework := 'SIF') p
LEFT JOIN grades g USING (grade)
GROUP BY p.grade, g.grade_rank ORDER BY g.grade_rank
