/**
 * The page registry: the left navigation, the routes and the page titles all come from this list.
 * A new capability (Matches, Gaps, Graph, Models) plugs in by adding one entry with a lazily loaded component.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { IconName } from '../components/Icon';

export interface PageDef {
  /** URL fragment: `#/<id>`. */
  id: string;
  title: string;
  /** One line under the title, and the navigation tooltip. */
  description: string;
  icon: IconName;
  component: LazyExoticComponent<ComponentType>;
}

export const PAGES: readonly PageDef[] = [
  {
    id: 'import',
    title: 'Import',
    description: 'Bring channel exports into the workspace and review the sources it holds.',
    icon: 'import',
    component: lazy(() => import('../pages/import/ImportPage')),
  },
  {
    id: 'matches',
    title: 'Matches',
    description:
      'Review uncertain matches, set the threshold and fix the products records were grouped into.',
    icon: 'copy',
    component: lazy(() => import('../pages/matches/MatchesPage')),
  },
  {
    id: 'gaps',
    title: 'Gaps',
    description:
      'Where the channels disagree, how badly, and a fix list in each channel’s own import format.',
    icon: 'gap',
    component: lazy(() => import('../pages/gaps/GapsPage')),
  },
  {
    id: 'graph',
    title: 'Graph',
    description:
      'The knowledge graph: find a product, brand, customer or category and explore what it connects to.',
    icon: 'graph',
    component: lazy(() => import('../pages/graph/GraphPage')),
  },
];

export const DEFAULT_PAGE = PAGES[0];

export function pageById(id: string): PageDef {
  return PAGES.find((p) => p.id === id) ?? DEFAULT_PAGE;
}
