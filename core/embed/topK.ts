/**
 * Puts score `s` of item `j` into a top-k list kept in descending order of score (`scores`, with `items` beside it):
 * lower entries move down one place and the last falls off. The caller has checked that `s` beats the last score.
 */
export function insertTop(scores: Float64Array, items: Int32Array, s: number, j: number): void {
  let p = scores.length - 1;
  while (p > 0 && scores[p - 1] < s) {
    scores[p] = scores[p - 1];
    items[p] = items[p - 1];
    p--;
  }
  scores[p] = s;
  items[p] = j;
}
