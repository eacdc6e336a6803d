/**
 * Vocabularies for the generated firm. Client names are built from a few hundred words in a
 * handful of patterns, so that searching for one word finds tens to hundreds of clients out of
 * 20,000, as it does in a real client list (many "Holdings", a few dozen "Harbour").
 */

/** A comma-separated list, wrapped over lines as needed. */
const list = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

export const COMPETITOR_FIRMS = list(`
  Allen Harcourt, Bramwell Price, Clifford Lane, Danvers & Co, Eversleigh, Farrow Mills, Garside Law, Hobart Quayle, Irving Stanton,
  Jessop Ward, Kilbride Moss, Linklow, Mayhew Grant, Norcross LLP, Osborne Tate
`);

export const CONTACT_ROLES = list(`
  General Counsel, Deputy GC, CFO, CEO, Head of Legal, Company Secretary, Head of Procurement, HR Director, Legal Counsel, COO
`);

export const FIRST_NAMES = list(`
  Aisha, Alice, Amelia, Amir, Ana, Andrew, Anna, Arjun, Ben, Bethany, Caroline, Catherine, Charles, Charlotte, Chen, Chloe, Christopher,
  Claire, Daniel, David, Deborah, Duncan, Edward, Eleanor, Elena, Elizabeth, Emily, Emma, Fatima, Fiona, Francesca, George, Georgina, Grace,
  Hannah, Harriet, Harry, Helen, Henry, Hiroshi, Imogen, Isabel, Jack, James, Jane, Jasmine, Jennifer, Jessica, Joanna, John, Jonathan, Joseph,
  Julia, Karen, Katherine, Kavita, Laura, Lucy, Luke, Maria, Mark, Martin, Matthew, Megan, Mei, Michael, Mohammed, Nadia, Natalie, Nicholas,
  Nikhil, Oliver, Olivia, Omar, Patrick, Paul, Peter, Philip, Priya, Rachel, Rebecca, Richard, Robert, Rosalind, Ruth, Samuel, Sarah, Sean,
  Simon, Sofia, Sophie, Stephen, Susan, Thomas, Timothy, Tom, Victoria, William, Yusuf, Zara
`);

export const INDUSTRIES = list(`
  Banking and finance, Insurance, Real estate, Construction, Energy, Healthcare, Life sciences, Technology, Telecoms, Media, Retail,
  Consumer goods, Manufacturing, Transport and logistics, Hospitality, Public sector, Charities, Education, Private equity, Infrastructure
`);

export const JOB_TITLES = list(`
  Director, Senior Counsel, Legal Counsel, Finance Director, Head of Operations, Partner, Vice President, Manager, Chief Executive
`);

export const MATTER_TOPICS = list(`
  acquisition, disposal, refinancing, joint venture, supply agreement, licence review, lease renewal, site acquisition, contract dispute,
  employment tribunal, restructuring, bond issue, investigation, compliance review, trade mark portfolio, outsourcing, framework agreement,
  share scheme, pension scheme review, planning appeal, warranty claim, fund formation
`);

/** What the company does, as its name says it. */
export const NAME_ACTIVITIES = list(`
  Aerospace, Agriculture, Analytics, Asset Management, Automotive, Aviation, Banking, Biotech, Brewing, Broadcasting, Building, Capital,
  Chemicals, Construction, Consulting, Data, Developments, Diagnostics, Energy, Engineering, Estates, Foods, Freight, Gaming, Healthcare,
  Homes, Hospitality, Infrastructure, Insurance, Investments, Leisure, Logistics, Marine, Media, Medical, Metals, Mining, Motors, Networks,
  Packaging, Pharma, Power, Properties, Publishing, Rail, Renewables, Retail, Robotics, Security, Shipping, Software, Steel, Systems,
  Technologies, Telecom, Textiles, Trading, Travel, Utilities, Water, Wind
`);

/** Place-like and brand-like first words of company names. */
export const NAME_PREFIXES = list(`
  Aldgate, Alder, Anchor, Apex, Arden, Ashbourne, Atlas, Avalon, Azure, Beacon, Bedrock, Birchwood, Blackfriars, Bluewater, Bramble,
  Bridgewater, Brightwell, Brookfield, Cairn, Caledonian, Cambrian, Castlegate, Cedar, Charter, Clearwater, Cobalt, Compass, Coniston,
  Copperfield, Crescent, Crown, Dalton, Dovetail, Eastbury, Elmstead, Ember, Evergreen, Fairfax, Falcon, Fernhill, Firth, Foxglove, Galleon,
  Garnet, Glenmore, Granite, Greyfriars, Halcyon, Harbour, Hawthorn, Heron, Highgate, Horizon, Ironbridge, Juniper, Kestrel, Kingsway,
  Lakeside, Lantern, Larch, Linden, Lodestar, Longbow, Lyndhurst, Maple, Marlow, Meridian, Millbrook, Monarch, Moorgate, Northgate, Oakridge,
  Orchard, Osprey, Paragon, Pennine, Peregrine, Pinnacle, Portland, Quayside, Redwood, Regent, Ridgeway, Riverside, Rowan, Saffron, Sapphire,
  Severn, Silverstone, Solent, Sovereign, Sterling, Stonebridge, Summit, Tamar, Thistle, Trafalgar, Trident, Tudor, Union, Vanguard, Vantage,
  Verity, Waterloo, Wessex, Westbrook, Whitehall, Willow, Windsor, Wolseley, Yarrow, Zenith
`);

export const NAME_SUFFIXES = list(`
  Ltd, Limited, plc, LLP, Group, Holdings, Partners, Inc., GmbH, SA, AG, BV, Trust, Foundation
`);

export const OFFICES = list(`
  London, Manchester, Leeds, Birmingham, Bristol, Edinburgh, Glasgow, Dublin, New York, Frankfurt, Paris, Singapore
`);

export const PRACTICE_AREAS = list(`
  Corporate, M&A, Banking, Finance, Real Estate, Planning, Construction, Disputes, Arbitration, Employment, Pensions, Tax,
  Intellectual Property, Technology, Data Protection, Competition, Regulatory, Restructuring, Private Client, Projects
`);

export const SURNAMES = list(`
  Abbott, Ahmed, Ali, Allen, Anderson, Armstrong, Bailey, Baker, Banerjee, Barker, Barnes, Bell, Bennett, Brooks, Brown, Burke, Butler,
  Campbell, Carter, Chan, Chapman, Clarke, Cole, Collins, Cook, Cooper, Cox, Davies, Dixon, Doyle, Edwards, Ellis, Evans, Fisher, Fleming,
  Fletcher, Foster, Fraser, Gallagher, Gibson, Graham, Grant, Gray, Green, Griffiths, Hall, Hamilton, Harris, Harrison, Hart, Hayes, Henderson,
  Hill, Holmes, Hughes, Hunt, Hussain, Jackson, James, Jenkins, Johnson, Jones, Kaur, Kelly, Kennedy, Khan, King, Knight, Lawrence, Lee, Lewis,
  Lloyd, Marshall, Martin, Mason, Matthews, McDonald, Mills, Mitchell, Moore, Morgan, Morris, Murphy, Murray, Nakamura, Newman, Nguyen, OBrien,
  Owen, Palmer, Parker, Patel, Pearce, Phillips, Powell, Price, Quinn, Reid, Reynolds, Richards, Richardson, Roberts, Robinson, Rogers, Rose,
  Ross, Russell, Saunders, Scott, Shah, Sharma, Shaw, Simpson, Singh, Smith, Stevens, Stewart, Sutherland, Taylor, Thomas, Thompson, Turner,
  Walker, Walsh, Ward, Watson, Webb, White, Wilkinson, Williams, Wilson, Wood, Wright, Young, Zhang
`);

export const STAFF_TITLES: Record<string, string[]> = {
  admin: list('IT Manager, Systems Administrator'),
  programme_lead: list('Client Listening Lead, Head of Client Service'),
  management: list('Managing Partner, Chief Operating Officer, Head of Business Development, Practice Group Leader'),
  partner: list('Partner, Senior Partner, Equity Partner'),
  member: list('Associate, Senior Associate, Trainee Solicitor, Paralegal, Counsel, Business Development Manager, Knowledge Lawyer'),
  external: list('Consultant, Independent Reviewer'),
};
