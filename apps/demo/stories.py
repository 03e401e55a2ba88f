"""What the demo's reviews say: self-reviews, enquiries, evidence, findings, reports,
workshops, actions, progress and check-backs. Every word is invented for the demo; the schools
and people are fictional. Written in the programme's voice: enquiry-led, descriptive, never a
grade or a judgement of the school.

Each story is a dict; ``apps.demo.cycles`` takes a review through as many of its steps as the
stage it should reach needs. Keys:

* ``self``: (theme position or None for the whole school, strengths, areas to develop)
* ``question`` and ``lines``: the key enquiry question and up to three lines of enquiry
* ``activities``: (kind, hour, place, people)
* ``evidence``: (activity position, line position or None, tags, text)
* ``findings``: line position or None → (working well, explore further, workshop questions)
* ``summary``: the report's summary
* ``workshop``: the four stages' notes (revisit, focus, causes, impact)
* ``actions``: title, why, area, criteria, support, updates [(days after the workshop,
  status, text)], impact (seen, evidence, next steps) at the check-back
* ``checkback``: the check-back's overall summary
"""

from __future__ import annotations

from typing import Any

Story = dict[str, Any]

# Last year's six reviews in the Brambleford Primary Cluster (all closed).
LAST_YEAR: dict[int, Story] = {
    990001: {
        "self": [(None, "Staff know pupils and families well. Reading for pleasure is visible "
                        "in every classroom and the library is well used at lunchtime.",
                  "Mathematics in Key Stage 2: pupils are accurate with calculation but less "
                  "sure when a problem is worded differently from the examples.")],
        "question": "How well do pupils in Years 4 to 6 apply what they know in mathematics "
                    "to unfamiliar problems?",
        "lines": ["What do pupils do when they first meet a problem they have not seen "
                  "before?",
                  "How is reasoning modelled and practised in lessons?"],
        "activities": [("lesson_visits", 9, "Years 4, 5 and 6", "Maths lead and reviewers"),
                       ("pupil_voice", 11, "Library", "Eight pupils from Years 5 and 6"),
                       ("work_scrutiny", 13, "Staff room", "Maths lead")],
        "evidence": [
            (0, 1, ["year 5", "problem solving"],
             "Year 5: pupils worked in pairs on a bar-model problem. Most pairs drew a model "
             "before calculating; two pairs started calculating straight away and then "
             "checked with the model."),
            (1, 1, ["pupil voice"],
             "Asked what they do when stuck, six of eight pupils said they 'read it again'. "
             "Two described drawing a picture. None mentioned talking to a partner."),
            (0, 2, ["year 6", "reasoning"],
             "Year 6: the teacher modelled a 'convince me' sentence stem. Pupils used it in "
             "pairs; in whole-class discussion three pupils gave reasons in full sentences."),
            (2, None, ["books", "reasoning"],
             "Books in Years 4 to 6: written reasoning appears in most units, often as a "
             "single sentence at the end of a page."),
        ],
        "findings": {
            None: ("Pupils are fluent with calculation and the school's calculation policy "
                   "is used consistently from Year 4 to Year 6.",
                   "Pupils' first move with an unfamiliar problem varies a great deal. The "
                   "team wondered how pupils are taught a few reliable first steps.",
                   "What would a shared 'first three things to try' look like?"),
            1: ("Pupils are willing to re-read and persist.",
                "Few pupils described drawing or discussing as a way in.",
                "Where could talk be built into problem solving?"),
            2: ("Sentence stems for reasoning are in place in Year 6.",
                "Written reasoning is brief in books; the stems are not yet used in Years 4 "
                "and 5.", "How might the stems travel down the school?"),
        },
        "summary": "The school asked how well older pupils apply mathematics to unfamiliar "
                   "problems. Pupils calculate confidently. The team saw pupils persist, and "
                   "suggests exploring a shared set of first steps for problem solving and "
                   "extending the reasoning stems used in Year 6.",
        "workshop": ("Everyone noticed the difference between pupils' confidence with "
                     "calculation and their hesitation with new problems.",
                     "Problem solving in Years 4 to 6: the first steps pupils take.",
                     "Problems are usually introduced after practice, so pupils meet them "
                     "as something extra. Talk is planned for reading but less for maths.",
                     "Pupil voice in the summer term and a short book look by the maths "
                     "lead each half term."),
        "actions": [
            {"title": "Teach three 'first steps' for problem solving in Years 4 to 6",
             "why": "Pupils' first move with a new problem varies.", "area": "maths",
             "criteria": "Most pupils can name and use at least two first steps when asked.",
             "support": "",
             "updates": [(20, "in_progress", "Steps agreed with staff: draw it, say it to a "
                                             "partner, try a smaller number. Posters made by "
                                             "Year 6."),
                         (95, "done", "Used in every class in Years 4 to 6 since February. "
                                      "Pupil voice in May: seven of eight pupils named two "
                                      "steps.")],
             "impact": ("Pupils start problems more readily and talk more in pairs.",
                        "Pupil voice in May; maths lead's lesson visits.",
                        "Share the approach with Years 2 and 3 next year.")},
            {"title": "Use the reasoning sentence stems in Years 4 and 5",
             "why": "Stems work in Year 6 but are not used lower down.", "area": "maths",
             "criteria": "Books in Years 4 and 5 show reasoning written in full sentences in "
                         "most units.",
             "support": "",
             "updates": [(30, "in_progress", "Year 6 teacher ran a staff meeting on the "
                                             "stems."),
                         (110, "done", "Book look in June: full-sentence reasoning in most "
                                       "units in Year 5, about half in Year 4.")],
             "impact": ("Written reasoning is longer and more precise in Year 5.",
                        "Book look in June.",
                        "Year 4 team to revisit the stems in the autumn.")},
        ],
        "checkback": "Both actions are complete. Problem solving is now a regular part of "
                     "lessons rather than an extra at the end.",
    },
    990002: {
        "self": [(None, "Early communication is a strength: staff model language all day and "
                        "the outdoor area is planned with talk in mind.",
                  "Phonics: how consistently the programme is taught across Reception and "
                  "Year 1.")],
        "question": "How consistently is early reading taught from Reception to Year 1?",
        "lines": ["How do adults support pupils who are not keeping up with the programme?"],
        "activities": [("lesson_visits", 9, "Reception and Year 1", "Phonics lead"),
                       ("staff_interviews", 13, "Meeting room", "Teaching assistants")],
        "evidence": [
            (0, None, ["phonics", "reception"],
             "Reception: a brisk phonics session; every pupil had a turn to say the sound. "
             "The sound mat on tables matched the programme."),
            (0, None, ["phonics", "year 1"],
             "Year 1: the session followed the same sequence. Two adults used different "
             "phrasing for blending ('push the sounds together', 'say it fast')."),
            (1, 1, ["catch-up", "teaching assistants"],
             "Teaching assistants run daily catch-up. They described choosing the content "
             "themselves from what they noticed in the morning."),
        ],
        "findings": {
            None: ("Sessions follow the programme's sequence in both year groups.",
                   "Adults' phrasing differs between classes; the team wondered how much "
                   "this matters to the pupils who find blending hardest.",
                   "Would a shared script for the key moments help?"),
            1: ("Catch-up happens the same day, which staff value.",
                "Catch-up content is chosen informally.",
                "How might catch-up link more closely to the programme's assessments?"),
        },
        "summary": "The school asked how consistently early reading is taught. The team saw "
                   "a shared sequence and same-day catch-up, and suggests exploring shared "
                   "phrasing and how catch-up content is chosen.",
        "workshop": ("Staff were struck by how small differences in phrasing were noticed.",
                     "Consistency of phrasing and catch-up for the pupils who find blending "
                     "hardest.",
                     "New staff learned the programme from different colleagues.",
                     "Phonics lead to observe each adult once a term."),
        "actions": [
            {"title": "Agree and practise shared phrasing for blending",
             "why": "Phrasing differs between adults.", "area": "reading",
             "criteria": "Every adult uses the agreed phrases when observed.",
             "support": "",
             "updates": [(15, "in_progress", "Phrases agreed at a staff meeting; a card for "
                                             "each adult."),
                         (80, "done", "Phonics lead observed all nine adults: all used the "
                                      "agreed phrases.")],
             "impact": ("Sessions sound the same from class to class.",
                        "Phonics lead's observations.", "")},
            {"title": "Plan catch-up from the weekly phonics check",
             "why": "Catch-up content is chosen informally.", "area": "assessment",
             "criteria": "Catch-up groups and content are set each week from the check.",
             "support": "A school that links catch-up to assessment to share its planner.",
             "updates": [(25, "in_progress", "Planner drafted with the phonics lead.")],
             "impact": ("Catch-up is more focused; two pupils left catch-up by Easter.",
                        "Weekly check records.", "Keep going; review in the autumn.")},
        ],
        "checkback": "Phrasing is now shared. Catch-up planning is working and will carry "
                     "on.",
    },
    990003: {
        "self": [(None, "Pupils write at length in history and science.",
                  "Spelling: pupils spell well in tests and less well in their writing.")],
        "question": "What helps pupils carry their spelling into their everyday writing?",
        "lines": ["How do pupils check their own writing?"],
        "activities": [("work_scrutiny", 9, "Library", "English lead"),
                       ("pupil_voice", 11, "Library", "Six pupils from Years 3 to 6")],
        "evidence": [
            (0, None, ["spelling", "books"],
             "Books: words from the weekly list are usually spelt correctly in the week "
             "they are taught, less often later in the term."),
            (1, 1, ["pupil voice", "proofreading"],
             "Pupils said they check their writing 'at the end'. Four of six said they look "
             "for capital letters and full stops first."),
        ],
        "findings": {
            None: ("Spelling lessons are regular and pupils enjoy the weekly challenge.",
                   "Taught words are not yet secure weeks later.",
                   "How could taught words be revisited?"),
            1: ("Pupils have a habit of checking their work.",
                "Checking focuses on punctuation more than spelling.",
                "What would make spelling part of the check?"),
        },
        "summary": "The school asked what helps pupils carry spelling into their writing. "
                   "Pupils check their work; the team suggests exploring how taught words are "
                   "revisited and how spelling becomes part of pupils' checks.",
        "workshop": ("The gap between test spelling and writing was the main thread.",
                     "Revisiting taught words.", "Words are taught in weekly lists and not "
                     "returned to.", "English lead's book look each half term."),
        "actions": [
            {"title": "Revisit taught spellings every fortnight",
             "why": "Taught words slip later in the term.", "area": "reading",
             "criteria": "Taught words are spelt correctly in writing three weeks later.",
             "support": "",
             "updates": [(20, "in_progress", "Fortnightly revisit slot added to the "
                                             "timetable."),
                         (90, "done", "Book look: most taught words now correct later in "
                                      "the term.")],
             "impact": ("Spelling in writing has improved for most pupils.",
                        "Book looks in March and June.", "")},
            {"title": "Add spelling to the pupils' proofreading checklist",
             "why": "Pupils check punctuation more than spelling.", "area": "reading",
             "criteria": "Pupils can describe how they check spelling.", "support": "",
             "updates": [(30, "done", "Checklist updated and used in every class.")],
             "impact": ("Pupils underline words they are unsure of.",
                        "Pupil voice.", "")},
        ],
        "checkback": "Both actions are done and the approach is part of routine teaching.",
    },
    990004: {
        "self": [(None, "A calm, orderly school where pupils are kind to each other.",
                  "Attendance of a small group of pupils, and how the school works with "
                  "their families.")],
        "question": "How does the school build relationships with families whose children "
                    "miss school often?",
        "lines": ["What do families say helps them get their children to school?",
                  "How is early concern about attendance shared between staff?"],
        "activities": [("parent_voice", 8, "School gate and family room",
                        "Family support worker"),
                       ("staff_interviews", 10, "Meeting room", "Attendance lead"),
                       ("document_review", 13, "Office", "Headteacher")],
        "evidence": [
            (0, 1, ["parent voice", "attendance"],
             "Parents at the gate valued the breakfast club and a named adult to call. Two "
             "said mornings are hardest when a younger sibling is unwell."),
            (1, 2, ["staff", "attendance"],
             "The attendance lead meets the family support worker weekly. Class teachers "
             "described passing on concerns informally, by message or in passing."),
            (2, None, ["records"],
             "Attendance records are kept carefully; contact with families is logged in two "
             "places."),
        ],
        "findings": {
            None: ("Families describe staff as approachable; breakfast club is valued.",
                   "Contact with families is recorded in two places.",
                   "What would one shared record make possible?"),
            1: ("A named adult to call makes a difference for families.",
                "Mornings with younger siblings unwell were mentioned more than once.",
                "Is there a way to help on those mornings?"),
            2: ("Weekly meetings between the attendance lead and the family support "
                "worker are well established.",
                "Teachers pass concerns on informally.",
                "How could early concerns reach the right person sooner?"),
        },
        "summary": "The school asked how it builds relationships with families whose "
                   "children miss school often. Families value named adults and breakfast "
                   "club. The team suggests exploring one shared record of contact and a "
                   "simple route for teachers' early concerns.",
        "workshop": ("The warmth families described stood out.",
                     "How early concerns are shared and recorded.",
                     "Two systems grew up at different times.",
                     "Attendance lead to compare termly figures for the focus group."),
        "actions": [
            {"title": "Keep one shared record of contact with families",
             "why": "Contact is logged in two places.", "area": "families",
             "criteria": "All contact is in one record that the three staff involved can "
                         "see.", "support": "",
             "updates": [(20, "in_progress", "Template agreed."),
                         (70, "done", "Single record in use since January.")],
             "impact": ("Staff see the whole picture before calling a family.",
                        "Attendance lead's review of the record.", "")},
            {"title": "A simple route for teachers to share early attendance concerns",
             "why": "Concerns are passed on informally.", "area": "behaviour",
             "criteria": "Teachers use the route; concerns are picked up within a day.",
             "support": "A school with a clear early-concern route to share it.",
             "updates": [(35, "in_progress", "Short form trialled in two classes."),
                         (100, "done", "Used across the school; 14 concerns raised this "
                                       "term, all picked up the same day.")],
             "impact": ("Concerns reach the attendance lead sooner.",
                        "Form records; attendance lead's log.",
                        "Look at whether the focus group's attendance changes next year.")},
        ],
        "checkback": "Both changes are in place. The school wants to see over a full year "
                     "whether the focus group's attendance improves.",
    },
    990005: {
        "self": [(None, "A strong, inclusive culture: pupils with SEND take part fully in "
                        "school life.",
                  "Adaptations in lessons for pupils with SEND: how consistent they are.")],
        "question": "How are lessons adapted so that pupils with SEND can take part fully?",
        "lines": ["What do pupils with SEND say helps them in lessons?"],
        "activities": [("lesson_visits", 9, "Years 1 to 6", "SENCo"),
                       ("pupil_voice", 13, "SENCo's room", "Five pupils with SEND")],
        "evidence": [
            (0, None, ["send", "adaptation"],
             "Visual timetables in every class. In four of six lessons, pupils had a "
             "word bank or a worked example on the table."),
            (1, 1, ["pupil voice", "send"],
             "Pupils named things that help: 'when the teacher shows me first', 'my word "
             "mat', 'sitting near the board'."),
        ],
        "findings": {
            None: ("Routines such as visual timetables are in place throughout.",
                   "Adaptations within lessons vary from class to class.",
                   "Which adaptations make the most difference, and how are they shared?"),
            1: ("Pupils can say what helps them.", "Pupils' own views are not yet written "
                                                   "into their support plans.",
                "How might pupils' words shape their plans?"),
        },
        "summary": "The school asked how lessons are adapted for pupils with SEND. Routines "
                   "are consistent and pupils can say what helps them. The team suggests "
                   "exploring how the most useful adaptations are shared between classes.",
        "workshop": ("Pupils' own words about what helps them moved everyone.",
                     "Sharing effective adaptations.", "Good practice stays in classrooms.",
                     "SENCo's learning walk each term."),
        "actions": [
            {"title": "Short staff sessions sharing one adaptation each half term",
             "why": "Adaptations vary between classes.", "area": "inclusion",
             "criteria": "Each class uses the shared adaptations when visited.",
             "support": "",
             "updates": [(30, "in_progress", "Two sessions held: worked examples, word "
                                             "banks."),
                         (110, "done", "Five sessions held; learning walk shows them in "
                                       "use.")],
             "impact": ("Adaptations are more consistent.", "SENCo's learning walk.", "")},
            {"title": "Include pupils' own words in their support plans",
             "why": "Pupils can say what helps but plans do not show it.",
             "area": "inclusion", "criteria": "Every plan has a 'what helps me' section in "
                                              "the pupil's words.", "support": "",
             "updates": [(45, "done", "Added at the spring review meetings.")],
             "impact": ("Plans read as the pupil's own.", "Plans reviewed by the SENCo.",
                        "")},
        ],
        "checkback": "Both actions are done and are now part of the SEND review cycle.",
    },
    990006: {
        "self": [(None, "Pupils are articulate and take pride in their work.",
                  "Science: how practical work builds pupils' knowledge.")],
        "question": "How does practical work in science help pupils remember what they "
                    "learn?",
        "lines": ["What do pupils recall of practical work from earlier in the year?"],
        "activities": [("lesson_visits", 9, "Years 3 to 6", "Science lead"),
                       ("pupil_voice", 11, "Hall", "Eight pupils from Years 4 to 6")],
        "evidence": [
            (0, None, ["science", "practical"],
             "Year 4: pupils tested which materials insulate best. The teacher stopped "
             "twice to ask what the results showed."),
            (1, 1, ["pupil voice", "science"],
             "Pupils described practicals in detail ('we put ice in different cups') and "
             "were less sure what they showed."),
        ],
        "findings": {
            None: ("Practical work is frequent and pupils enjoy it.",
                   "Pupils remember the activity more than the idea it showed.",
                   "How could the idea be made as memorable as the activity?"),
            1: ("Pupils recall practical work vividly.",
                "The scientific idea behind it is less secure.",
                "When is the idea revisited?"),
        },
        "summary": "The school asked how practical work helps pupils remember science. "
                   "Pupils recall practicals vividly; the team suggests exploring how the "
                   "idea behind each practical is revisited.",
        "workshop": ("Pupils' vivid memories of practicals were a shared starting point.",
                     "Linking practical work to the idea it shows.",
                     "Lessons end with the practical; the idea is not returned to.",
                     "Science lead's pupil voice in the summer."),
        "actions": [
            {"title": "End each practical with a 'what did it show' summary",
             "why": "Pupils remember the activity more than the idea.", "area": "curriculum",
             "criteria": "Pupils can explain the idea behind a practical weeks later.",
             "support": "",
             "updates": [(20, "in_progress", "Summary slide added to practical lessons."),
                         (90, "done", "In use in Years 3 to 6.")],
             "impact": ("Pupils link practicals to ideas more often.",
                        "Pupil voice in June.", "")},
            {"title": "Revisit last term's practical ideas in quizzes",
             "why": "Ideas are not returned to.", "area": "curriculum",
             "criteria": "Quizzes include earlier ideas every week.", "support": "",
             "updates": [(40, "done", "Weekly quiz now includes two earlier questions.")],
             "impact": ("Recall of earlier ideas has improved.", "Quiz results.", "")},
        ],
        "checkback": "Both actions are in place across Key Stage 2.",
    },
}

# This year's reviews in the Brambleford Primary Cluster, one at each stage.
THIS_YEAR: dict[int, Story] = {
    # Closed: reviewed early in the autumn term, the check-back done last week.
    990006: {
        "self": [(1, "Last year's work on science has made practical lessons more "
                        "purposeful; pupils now explain what an investigation showed.",
                  "Writing in Key Stage 1: how pupils build stamina for longer pieces.")],
        "question": "How do pupils in Years 1 and 2 build stamina for writing?",
        "lines": ["What do pupils choose to write about when they have a free choice?",
                  "How is talk used before writing?"],
        "activities": [("lesson_visits", 9, "Years 1 and 2", "English lead and reviewers"),
                       ("work_scrutiny", 11, "Staff room", "English lead"),
                       ("pupil_voice", 13, "Library", "Six pupils from Year 2")],
        "evidence": [
            (0, 2, ["year 1", "talk"],
             "Year 1: pupils rehearsed a sentence aloud with a partner before writing it. "
             "Most wrote two or three sentences independently."),
            (1, None, ["books", "year 2"],
             "Year 2 books: the length of independent writing grows through the autumn; "
             "the longest pieces follow a class trip."),
            (2, 1, ["pupil voice", "year 2"],
             "Pupils wanted to write about football, a new baby, dinosaurs and a holiday. "
             "Four of six said they like writing 'when I know lots about it'."),
        ],
        "findings": {
            None: ("Oral rehearsal is a routine in Year 1 and pupils write independently.",
                   "The longest writing follows first-hand experiences; the team wondered "
                   "how often these could be planned.",
                   "How might the best experiences be planned into each unit?"),
            1: ("Pupils are keen to write about their own interests.",
                "Free choice is rare in the timetable.",
                "Where could a weekly free-choice piece fit?"),
            2: ("Talk before writing is well established in Year 1.",
                "Rehearsal is less visible in Year 2.",
                "What would help the routine continue into Year 2?"),
        },
        "summary": "The school asked how pupils in Years 1 and 2 build stamina for writing. "
                   "Talk before writing is well established and pupils write most when they "
                   "know a subject well. The team suggests exploring planned experiences "
                   "before writing and a regular free-choice piece.",
        "workshop": ("Everyone noticed how much more pupils wrote after the trip.",
                     "Experiences and choice as the way into longer writing.",
                     "Units start with the text, not with an experience; free choice has "
                     "been squeezed out of the timetable.",
                     "English lead's book look before half term and a check-back with the "
                     "champion in December."),
        "actions": [
            {"title": "Plan a first-hand experience at the start of each writing unit",
             "why": "The longest writing follows first-hand experiences.",
             "area": "reading",
             "criteria": "Every Key Stage 1 writing unit starts with an experience; books "
                         "show longer independent pieces.",
             "support": "",
             "updates": [(7, "in_progress", "Units for the rest of the autumn term "
                                            "replanned; visits and visitors booked."),
                         (30, "done", "Book look: independent writing is longer in both "
                                      "year groups, most of all after the fire-station "
                                      "visit.")],
             "impact": ("Pupils write more and with more detail after an experience.",
                        "English lead's book look; pupils' writing from before and after.",
                        "Keep planning experiences into the spring units.")},
            {"title": "A weekly free-choice writing session in Year 2",
             "why": "Pupils want to write about their own interests.", "area": "reading",
             "criteria": "Pupils write every week on a subject they choose.",
             "support": "",
             "updates": [(10, "in_progress", "Friday session started; writing shared in "
                                             "assembly."),
                         (32, "done", "Running every week since October.")],
             "impact": ("Pupils who wrote least are writing more on Fridays.",
                        "Class teacher's notes; writing samples.",
                        "Try the same in Year 1 after Christmas.")},
        ],
        "checkback": "Both actions are complete and pupils' writing is longer. The school "
                     "will carry the approach into Year 1 in the spring.",
    },
    # Acting on the plan: workshop held a few weeks ago, actions under way.
    990002: {
        "self": [(1, "Shared phrasing in phonics is now secure, building on last year's "
                        "review.",
                  "Mathematics in Reception: how well pupils understand number, not just "
                  "count.")],
        "question": "How deeply do pupils in Reception understand numbers to ten?",
        "lines": ["How is number explored in continuous provision?",
                  "What do adults' questions about number sound like?"],
        "activities": [("learning_walk", 9, "Reception classroom and outdoor area",
                        "Early years lead"),
                       ("lesson_visits", 10, "Reception", "Class teacher"),
                       ("staff_interviews", 14, "Meeting room", "Early years team")],
        "evidence": [
            (0, 1, ["reception", "provision"],
             "Outdoors: number tracks and loose parts. Three pupils counted conkers into "
             "pots; one said 'five is three and two'."),
            (1, 2, ["reception", "questioning"],
             "Carpet session: the teacher asked 'how do you know?' twice. Most adult "
             "questions in provision were 'how many?'."),
            (2, 2, ["staff"],
             "Staff said they feel confident counting with pupils and less sure how to "
             "extend talk about number."),
        ],
        "findings": {
            None: ("Pupils count reliably and number is visible in the environment.",
                   "The team saw a few pupils talk about how numbers are made up, and "
                   "wondered how often adults invite this.",
                   "What questions open up talk about number?"),
            1: ("Provision is rich in number resources.",
                "Resources are used for counting more than comparing or partitioning.",
                "How could provision invite pupils to split and compare?"),
            2: ("'How do you know?' is used on the carpet.",
                "In provision, questions are mostly 'how many?'.",
                "What would a bank of questions for provision look like?"),
        },
        "summary": "The school asked how deeply Reception pupils understand numbers to ten. "
                   "Pupils count reliably in a number-rich environment. The team suggests "
                   "exploring adults' questions in provision and how resources invite "
                   "pupils to compare and split numbers.",
        "workshop": ("The conker conversation was everyone's favourite moment.",
                     "Adults' questions about number in provision.",
                     "Training for support staff has focused on phonics in recent years.",
                     "Early years lead to record adult questions in two learning walks "
                     "and the champion to visit for the check-back in the spring."),
        "actions": [
            {"title": "Make a question bank for number in provision",
             "why": "Most questions in provision are 'how many?'.", "area": "maths",
             "criteria": "Adults use at least three kinds of number question when observed.",
             "support": "A school with strong early maths to share their questions.",
             "updates": [(5, "in_progress", "First draft of twelve questions shared with "
                                            "the team."),
                         (18, "in_progress", "Questions on lanyards; first learning walk "
                                             "heard 'show me another way' several times.")]},
            {"title": "Set up partitioning and comparing challenges in the number area",
             "why": "Resources are mostly used for counting.", "area": "maths",
             "criteria": "Pupils choose the challenges and can explain what they did.",
             "support": "",
             "updates": [(10, "in_progress", "Three challenge cards in the number area.")]},
            {"title": "Support staff training on early number",
             "why": "Recent training has focused on phonics.", "area": "leadership",
             "criteria": "All support staff attend; confidence survey before and after.",
             "support": "A visit to a partner school's Reception class.",
             "updates": []},
        ],
    },
    # Report agreed; the Improvement Workshop is in a few days.
    990003: {
        "self": [(1, "Spelling is now revisited every fortnight, following last year's "
                        "review. Pupils write at length in history and science.",
                  "Whether pupils redraft their writing after feedback, and how often.")],
        "question": "How do pupils use feedback to improve a piece of writing?",
        "lines": ["What do pupils do with written feedback?"],
        "activities": [("work_scrutiny", 9, "Library", "English lead and two reviewers"),
                       ("pupil_voice", 11, "Library", "Six pupils from Years 5 and 6")],
        "evidence": [
            (0, None, ["books", "feedback"],
             "Redrafted work was seen in two of six books sampled, both in Year 6."),
            (1, 1, ["pupil voice", "feedback"],
             "Pupils described feedback as 'what the teacher writes'. One pupil said she "
             "reads it, 'then we start the next thing'."),
        ],
        "findings": {
            None: ("Pupils in every class we visited could say what their next step in "
                   "writing was.",
                   "Redrafted work was seen in two of six books; how is time for redrafting "
                   "planned?", "What would make redrafting routine?"),
            1: ("Written feedback is brief and specific.",
                "Pupils described feedback as something teachers do, not something they "
                "act on.", "How might pupils give feedback to peers?"),
        },
        "summary": "The school asked how pupils use feedback to improve writing. Pupils know "
                   "their next steps; the team suggests exploring how redrafting is planned.",
    },
    # In review today.
    990001: {
        "self": [(1, "Pupils talk confidently about the books they share in class. Staff "
                     "plan reading sessions together each week.",
                  "Whether the youngest readers who join mid-year catch up, and how we would "
                  "know sooner.")],
        "question": "How quickly do pupils who join mid-year settle into reading routines?",
        "lines": ["How are pupils who join mid-year helped to settle into reading "
                  "routines?", "What do pupils say about reading at home?"],
        "activities": [("learning_walk", 9, "Key Stage 1 classrooms",
                        "Headteacher and reviewers"),
                       ("pupil_voice", 10, "Library", "Six pupils from Years 2 and 3"),
                       ("work_scrutiny", 13, "Staff room", "Reading lead"),
                       ("staff_interviews", 14, "Meeting room", "Year 1 and Year 2 teachers")],
        "evidence": [
            (0, 1, ["year 1", "phonics"],
             "Year 1: two pupils who joined in January read a decodable book with an adult; "
             "both blended unfamiliar words aloud."),
            (1, 2, ["pupil voice"],
             "Four of six pupils named a book they had chosen at home. Two said they read "
             "with an older sibling."),
            (0, 1, ["year 2", "routines"],
             "Year 2: a pupil who arrived in October found the class reading corner and "
             "chose a book without prompting. The class teacher said a reading buddy "
             "showed her the routines in her first week."),
            (1, 2, ["pupil voice", "home reading"],
             "Three pupils described the reading record going home each night. One said "
             "'we write in it when Mum reads with me'; another said it 'mostly stays in "
             "my bag'."),
        ],
    },
    # Enquiry agreed; the team is being put together.
    990007: {
        "self": [(1, "A new member of the cluster this year. Pupils are proud of their "
                        "school garden and the eco-council leads real projects.",
                  "Pupils' vocabulary across the curriculum, especially in geography and "
                  "history.")],
        "question": "How is subject vocabulary taught and used in the foundation subjects?",
        "lines": ["How do pupils use new words in their talk and writing?",
                  "How do teachers choose which words to teach?"],
        "activities": [("lesson_visits", 9, "Years 3 to 6", "Curriculum lead"),
                       ("work_scrutiny", 11, "Staff room", "Geography and history leads"),
                       ("pupil_voice", 13, "Library", "Eight pupils from Years 4 and 6")],
    },
    # Self-review under way (last year's review carried over).
    990004: {
        "self": [(3, "A shared record of contact with families is now in place.",
                  "Whether the changes have made a difference to attendance for the small "
                  "group of pupils we focused on.")],
    },
    # Planned, no dates yet.
    990005: {},
}

# Words for the other partnerships' single reviews.
OTHER: dict[str, Story] = {
    "northvale": {
        "self": [(None, "A new partnership; staff are curious about each other's schools.",
                  "Transition from Year 6 to Year 7 across the trust.")],
    },
    "estuary": {
        "self": [(None, "Third year of peer review: schools know each other well.",
                  "Oracy across the curriculum.")],
        "question": "How is spoken language developed in lessons across the school?",
        "lines": ["What structures help pupils speak at length?"],
        "activities": [("lesson_visits", 9, "Years 2 to 6", "Oracy lead")],
    },
}

# Safeguarding concerns raised on a review day: (host urn, about the headteacher, the words).
# Invented for the demo; no real pupil, adult or school.
SAFEGUARDING: list[tuple[int, bool, str]] = [
    (990001, False,
     "In the Year 5 pupil voice group, one pupil said an older pupil has been taking their "
     "snack money on the walk home and told them not to tell anyone. I said I would pass "
     "this on to someone who can help and wrote down the pupil's words as they said them. "
     "(Fictional, written for the demo.)"),
    (990003, True,
     "A teaching assistant told me that the headteacher asked staff to wait before passing "
     "on a pupil's disclosure, so that he could speak to the family himself first. I have "
     "not raised this with the school. (Fictional, written for the demo.)"),
]
